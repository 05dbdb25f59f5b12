// Which frame the preview pane shows: the job's last landed frame, or the chunk's under the cursor.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { choosePreview } from '../../../src/tui/model/preview.js';

const rect = { left: 56, top: 1, width: 24, height: 11 };
const entry = (frame: number, mtimeMs: number) => ({ frame, path: `/s/jobs/j/previews/${frame}.png`, mtimeMs, size: 100 + frame });

test('the frame that landed last, then the chunk\'s own; the key changes when the file does', () => {
  const previews = [entry(1, 10), entry(2, 30), entry(5, 20)];
  const job = choosePreview(rect, 'shot', previews);
  assert.is(job.file!.frame, 2);
  assert.equal([job.cols, job.rows], [22, 9]);
  assert.is(job.title, 'frame 2 · shot');
  assert.is(choosePreview(rect, 'shot', previews, [4, 5, 6]).file!.frame, 5);
  assert.is(choosePreview(rect, 'shot', previews, [7, 8]).file, undefined);
  assert.is.not(choosePreview(rect, 'shot', [entry(2, 31)]).file!.key, job.file!.key);
  assert.ok(choosePreview(rect, 'a very long job name indeed', previews).title.length <= rect.width - 6);
});

test.run();
