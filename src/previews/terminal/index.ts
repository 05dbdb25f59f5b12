// Pictures in a terminal: kitty graphics, sixel, or half blocks in true colour / 256 colours.
export { detectGraphics, type Graphics, type Protocol, type ColourDepth } from './detect.js';
export { halfBlockRows, xterm256, xterm256Rgb, UPPER_HALF, type Pixels } from './blocks.js';
export { sixelImage } from './sixel.js';
export { kittyImage, KITTY_CLEAR } from './kitty.js';
export { loadPicture, type Picture } from './picture.js';
