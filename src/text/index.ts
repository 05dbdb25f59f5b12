// text/: how quantities read as text wherever they are shown (CLI, ui, web page, reports). Each file
// imports nothing, so the browser page loads the very same modules (served at /text/<name>.js).
export { formatDuration } from './duration.js';
export { formatBytes } from './bytes.js';
export { globToRegExp } from './glob.js';
