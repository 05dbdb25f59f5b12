// The preview overlay writes into blessed's output buffer: the picture once per change, placed inside
// the pane's border; blanked before it moves, goes, or a dialog covers it; kitty images deleted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type blessed from 'blessed';
import { PreviewOverlay } from '../../src/tui/screen/preview-overlay.js';
import type { PreviewView } from '../../src/tui/model/preview.js';
import { KITTY_CLEAR } from '../../src/previews/terminal/kitty.js';

function fakeScreen() {
  const written: string[] = [];
  const screen = { program: { _write: (text: string) => { written.push(text); } } } as unknown as blessed.Widgets.Screen;
  return { screen, written };
}

const view = (key: string, left = 56): PreviewView => ({ rect: { left, top: 1, width: 24, height: 11 }, title: 't', cols: 22, rows: 9, file: { path: '/p', frame: 1, key } });
const blocks = { cols: 22, rows: 2, lines: ['\x1b[38;5;1;48;5;1m▀▀\x1b[0m', '\x1b[38;5;2;48;5;2m▀▀\x1b[0m'] };

test('painted once per picture and place, inside the border, centred in height', () => {
  const { screen, written } = fakeScreen();
  const overlay = new PreviewOverlay(screen);
  overlay.prepare(view('a'), blocks, false);
  overlay.paint(view('a'), blocks, false);
  assert.is(written.length, 1);
  // rows 1..9 inside: 2 picture rows centred → first at terminal row 1 + 1 + 3 = 5 (1-based 6), column 58 (1-based)
  assert.match(written[0], /^\x1b7\x1b\[6;58H\x1b\[38;5;1;48;5;1m▀▀\x1b\[0m\x1b\[7;58H/);
  assert.ok(written[0].endsWith('\x1b8'));
  overlay.prepare(view('a'), blocks, false);
  overlay.paint(view('a'), blocks, false);
  assert.is(written.length, 1, 'nothing again while unchanged');
});

test('blanked before a new frame, a move, or a dialog; not painted under a dialog', () => {
  const { screen, written } = fakeScreen();
  const overlay = new PreviewOverlay(screen);
  overlay.paint(view('a'), blocks, false);
  overlay.prepare(view('b'), blocks, false);
  assert.match(written[1], /^\x1b7\x1b\[0m\x1b\[3;58H {22}\x1b\[4;58H/, 'the old picture\'s cells blanked');
  assert.ok(written[1].endsWith('\x1b8'));
  overlay.paint(view('b'), blocks, false);
  assert.is(written.length, 3);
  overlay.prepare(view('b'), blocks, true);
  overlay.paint(view('b'), blocks, true);
  assert.is(written.length, 4, 'blanked for the dialog, nothing painted over it');
  overlay.prepare(view('b'), blocks, false);
  overlay.paint(view('b'), blocks, false);
  assert.is(written.length, 5, 'painted again once the dialog is gone');
});

test('kitty: the image escape at the cursor, deleted before the next', () => {
  const { screen, written } = fakeScreen();
  const overlay = new PreviewOverlay(screen);
  const kitty = { cols: 22, rows: 6, escape: '\x1b_Ga=T,f=100;AAAA\x1b\\' };
  overlay.paint(view('a'), kitty, false);
  assert.match(written[0], /\x1b\[4;58H\x1b_Ga=T/);
  overlay.prepare(undefined, undefined, false);
  assert.ok(written[1].includes(KITTY_CLEAR));
});

test.run();
