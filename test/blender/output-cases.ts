// Where Blender writes a frame: shared by the TypeScript (outputs.test) and the post-check hook tests.

/** The .blend the cases are relative to; tests that touch the disk swap in a temporary folder. */
export const BLEND = '/tmp/bx/scene.blend';

// [pattern, frame, format, expected]. Rows marked "3.4" were checked against the
// `Saved:` line of Debian's Blender 3.4.1 rendering /tmp/bx/scene.blend with -o PATTERN -F FORMAT.
export const OUTPUT_CASES: ReadonlyArray<readonly [pattern: string, frame: number, format: string, expected: string | null]> = [
  ['//o1/f_##', 1, 'PNG', '/tmp/bx/o1/f_01.png'], // 3.4
  ['//p/a_##_b###', 7, 'PNG', '/tmp/bx/p/a_##_b007.png'], // 3.4: the last # run is the frame
  ['//p/d##/c_', 7, 'PNG', '/tmp/bx/p/d##/c_0007.png'], // 3.4: # in a folder is literal; 4 digits appended
  ['//p/e_##.png', 7, 'PNG', '/tmp/bx/p/e_07.png'], // 3.4: extension kept
  ['//p/g_##.jpg', 7, 'PNG', '/tmp/bx/p/g_07.png'], // 3.4: another image extension is replaced
  ['//p/h_##.v1', 7, 'PNG', '/tmp/bx/p/h_07.v1.png'], // 3.4: a non-image extension is kept, one appended
  ['//p/i.png', 7, 'PNG', '/tmp/bx/p/i.png0007.png'], // 3.4: digits go after the whole name
  ['//p/j_#.PNG', 7, 'PNG', '/tmp/bx/p/j_7.PNG'], // 3.4: extensions compare without case
  ['//p/k_#.tiff', 7, 'PNG', '/tmp/bx/p/k_7.png'], // 3.4
  ['rel/l_##', 7, 'PNG', 'rel/l_07.png'], // 3.4: no // → relative to Blender's working directory
  ['//p/../q/m_##', 7, 'PNG', '/tmp/bx/q/m_07.png'], // 3.4: normalized
  // Blender 3.4 fails here, writing to '/ss/f_07.png' (its normalization eats the leading
  // folder of a relative path); the sensible reading is kept.
  ['rr/../ss/f_##', 7, 'PNG', 'ss/f_07.png'],
  ['//p//y/f_##', 7, 'PNG', '/tmp/bx/p/y/f_07.png'], // 3.4
  ['//./w/f_##', 7, 'PNG', '/tmp/bx/w/f_07.png'], // 3.4
  ['/tmp/bx/p/../z/f_##', 7, 'PNG', '/tmp/bx/z/f_07.png'], // 3.4: absolute paths are normalized too
  ['//tr/', 7, 'PNG', '/tmp/bx/tr/0007.png'], // 3.4: a folder only → the name is the frame
  ['//p/n_#####################', 7, 'PNG', '/tmp/bx/p/n_000000000000000000007.png'], // 3.4
  ['//neg/f_##', -3, 'PNG', '/tmp/bx/neg/f_-03.png'], // 3.4: sign, then the padded digits
  ['//neg2/f_###', -3, 'PNG', '/tmp/bx/neg2/f_-003.png'], // 3.4
  ['//neg/f_##', 0, 'PNG', '/tmp/bx/neg/f_00.png'], // 3.4
  ['//f_#', 12345, 'PNG', '/tmp/bx/f_12345.png'], // more digits than #: nothing cut
  ['//p/f_', 1, 'TARGA', '/tmp/bx/p/f_0001.tga'],
  ['//p/f_', 1, 'TGA', '/tmp/bx/p/f_0001.tga'], // 3.4, the -F name
  ['//p/f_', 1, 'JPEG', '/tmp/bx/p/f_0001.jpg'], // 3.4
  ['//p/f_##.jpeg', 1, 'JPEG', '/tmp/bx/p/f_01.jpeg'], // JPEG's second extension is kept
  ['//p/f_', 1, 'OPEN_EXR', '/tmp/bx/p/f_0001.exr'], // 3.4
  ['//p/f_', 1, 'OPEN_EXR_MULTILAYER', '/tmp/bx/p/f_0001.exr'],
  ['//p/w_##', 7, 'WEBP', '/tmp/bx/p/w_07.webp'], // 3.4
  ['//p/w_##', 7, 'IRIS', '/tmp/bx/p/w_07.rgb'], // 3.4
  ['//p/w_##', 7, 'HDR', '/tmp/bx/p/w_07.hdr'], // 3.4
  ['//p/w_##', 7, 'DPX', '/tmp/bx/p/w_07.dpx'], // 3.4
  ['//p/w_##', 7, 'TIFF', '/tmp/bx/p/w_07.tif'], // 3.4
  ['//p/w_##', 7, 'JPEG2000', '/tmp/bx/p/w_07.jp2'], // 3.4 (its save fails in Debian's build, exit 1)
  ['//p/w_##', 7, 'BMP', '/tmp/bx/p/w_07.bmp'],
  ['//p/w_##', 7, 'CINEON', '/tmp/bx/p/w_07.cin'],
  ['//p/w_##', 7, 'png', '/tmp/bx/p/w_07.png'], // formats compare without case
  // No format: the scene's own, extension unknown (the file is the path plus one extension).
  ['//p/w_##', 7, '', '/tmp/bx/p/w_07'],
  ['//p/w_##.png', 7, '', '/tmp/bx/p/w_07'], // the scene's format may replace .png
  ['//p/w_##.v1', 7, '', '/tmp/bx/p/w_07.v1'],
  // Movies: no file per frame.
  ['//p/movie_', 7, 'FFMPEG', null],
];

