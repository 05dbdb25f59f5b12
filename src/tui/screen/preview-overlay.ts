// Draws the preview picture straight onto the terminal, inside the preview box blessed drew empty:
// blessed's cells are 256-colour text, and kitty or sixel images are not text at all. Blessed never
// rewrites cells it believes unchanged, so the picture is drawn only when it or its place changed,
// and its cells are blanked before it moves, goes, or a dialog opens over it (blessed would otherwise
// draw a dialog's blank cells as "unchanged" and leave the picture showing through).
import type blessed from 'blessed';
import type { Picture } from '../../previews/terminal/picture.js';
import { KITTY_CLEAR } from '../../previews/terminal/kitty.js';
import type { PreviewView } from '../model/preview.js';
import type { Rect } from '../model/layout.js';

interface Painted { signature: string; rect: Rect; kitty: boolean }

export class PreviewOverlay {
  private painted?: Painted;

  constructor(private readonly screen: blessed.Widgets.Screen) {}

  private write(text: string): void {
    // through blessed's own output buffer, so the picture lands after the frame blessed just drew
    (this.screen.program as unknown as { _write(text: string): void })._write(text);
  }

  /** Before blessed draws: blanks a painted picture that is about to change, move or be covered. */
  prepare(preview: PreviewView | undefined, picture: Picture | undefined, covered: boolean): void {
    const old = this.painted;
    if (!old) return;
    if (!covered && signatureOf(preview, picture) === old.signature) return;
    const { rect } = old;
    let out = '\x1b7\x1b[0m' + (old.kitty ? KITTY_CLEAR : '');
    const blank = ' '.repeat(Math.max(0, rect.width - 2));
    for (let row = 1; row < rect.height - 1; row++) out += `\x1b[${rect.top + row + 1};${rect.left + 2}H${blank}`;
    this.write(out + '\x1b8');
    this.painted = undefined;
  }

  /** After blessed drew: the picture, when it is not there yet. */
  paint(preview: PreviewView | undefined, picture: Picture | undefined, covered: boolean): void {
    if (covered || !preview || !picture) return;
    const signature = signatureOf(preview, picture);
    if (this.painted?.signature === signature) return;
    const { rect } = preview;
    const top = rect.top + 1 + Math.floor((preview.rows - picture.rows) / 2);
    const left = rect.left + 1 + Math.floor((preview.cols - picture.cols) / 2);
    let out = '\x1b7';
    if (picture.lines) picture.lines.forEach((line, i) => { out += `\x1b[${top + i + 1};${left + 1}H${line}`; });
    else out += `\x1b[${top + 1};${left + 1}H${picture.escape}`;
    this.write(out + '\x1b[0m\x1b8');
    this.painted = { signature, rect, kitty: /^\x1b_G/.test(picture.escape ?? '') };
  }

  /** The terminal was redrawn from scratch (a resize): nothing of ours is on it any more. */
  forget(): void {
    this.painted = undefined;
  }
}

function signatureOf(preview: PreviewView | undefined, picture: Picture | undefined): string {
  if (!preview?.file || !picture) return '';
  const r = preview.rect;
  return `${preview.file.key}@${r.left},${r.top},${r.width},${r.height}`;
}
