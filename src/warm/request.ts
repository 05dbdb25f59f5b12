// What a render hook asks the warm path for, read from its environment as render-blender reads it: a
// pure function. Anything it would not pass to Blender as is gives a reason to go cold instead.

export interface WarmRequest {
  blender: string;
  file: string;
  scene: string;
  output: string;
  format: string;
  threads: string;
  /** Frame runs rendered in turn, as `-s START -e END -j STEP -a` each. */
  runs: [number, number, number][];
  noOverwrite: boolean;
  /** `render add --camera` / `--view-layer` (empty: the scene's). */
  camera: string;
  viewLayer: string;
  /** `render add --enable-autoexec`: the .blend's scripts run (Blender's `-y`); off by default, as cold. */
  autoexec: boolean;
  /** A tile (render add --tiles): the render border, min x, min y, max x, max y, rendered cropped. */
  border?: [number, number, number, number];
  /** Such a tile for a merge that finishes the frame in Blender (RENDER_TILE_PASSES): passes only. */
  passes?: 'denoise' | 'all';
}

const INT = /^-?\d+$/;

/** The request, or why this chunk is not for the warm path (render-blender's own checks then speak). */
export function warmRequestFrom(env: Record<string, string | undefined>): WarmRequest | string {
  // settings render-blender applies that the warm server does not (yet): those chunks start Blender
  if ((env.RENDER_DEVICE ?? 'CPU') !== 'CPU') return `RENDER_DEVICE ${env.RENDER_DEVICE} is applied by a cold start only`;
  // the file's libraries and images must be moved to this node's mounts before Blender loads them
  if (env.RENDER_PATH_MAP) return 'RENDER_PATH_MAP (paths per machine) is applied by a cold start only';
  const file = env.RENDER_FILE ?? '';
  if (!file) return 'RENDER_FILE is not set';
  const threads = env.RENDER_THREADS ?? '';
  if (threads && !/^\d+$/.test(threads)) return `RENDER_THREADS '${threads}' is not a number`;
  const runs = frameRuns(env);
  if (typeof runs === 'string') return runs;
  const passes = env.RENDER_TILE_PASSES ?? '';
  if (passes !== '' && passes !== 'denoise' && passes !== 'all') return `RENDER_TILE_PASSES '${passes}' is not denoise or all`;
  const border = env.RENDER_BORDER ? parseBorder(env.RENDER_BORDER) : undefined;
  if (typeof border === 'string') return border;
  return {
    blender: env.BLENDER || 'blender',
    file,
    scene: env.RENDER_SCENE ?? '',
    output: env.RENDER_OUTPUT ?? '',
    format: env.RENDER_FORMAT ?? '',
    threads,
    runs,
    noOverwrite: env.RENDER_NO_OVERWRITE === '1',
    camera: env.RENDER_CAMERA ?? '',
    viewLayer: env.RENDER_VIEW_LAYER ?? '',
    autoexec: env.RENDER_AUTOEXEC === '1',
    ...(border ? { border } : {}),
    ...(passes ? { passes } : {}),
  };
}

/** Blender's -F name for a format, as render-blender's format_arg: -F knows a few formats by other names. */
export function formatArg(format: string): string {
  const upper = format.toUpperCase();
  return ({ TARGA: 'TGA', TARGA_RAW: 'RAWTGA', JPEG2000: 'JP2' } as Record<string, string>)[upper] ?? upper;
}

/**
 * The warm Blender's command line: render-blender's settings that apply to the loaded file (-S, -F, -t, -y),
 * in its order, so Blender itself applies them as on a cold start; then the server and its socket.
 */
export function warmArgv(request: Pick<WarmRequest, 'blender' | 'file' | 'scene' | 'format' | 'threads' | 'autoexec'>, server: string, socketPath: string): string[] {
  return [request.blender, '-b', request.file, ...(request.autoexec ? ['-y'] : []),
    ...(request.scene ? ['-S', request.scene] : []),
    ...(request.format ? ['-F', formatArg(request.format)] : []),
    ...(request.threads ? ['-t', request.threads] : []),
    '--python-exit-code', '2', '--python', server, '--', socketPath, request.format];
}

/** `minx,miny,maxx,maxy`, fractions of the frame; anything else is render-blender's to report. */
function parseBorder(raw: string): [number, number, number, number] | string {
  const values = raw.split(',').map(Number);
  if (values.length !== 4 || values.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) return `RENDER_BORDER '${raw}' is not four fractions`;
  return values as [number, number, number, number];
}

/** RENDER_START/END/STEP when STEP > 0, else RENDER_FRAME_LIST collapsed into runs of consecutive frames. */
export function frameRuns(env: Record<string, string | undefined>): [number, number, number][] | string {
  const step = env.RENDER_STEP ?? '';
  if (step && step !== '0') {
    const [start, end] = [env.RENDER_START ?? '', env.RENDER_END ?? ''];
    if (!/^\d+$/.test(step) || !INT.test(start) || !INT.test(end)) return 'RENDER_START/END/STEP are not frame numbers';
    return [[Number(start), Number(end), Number(step)]];
  }
  const frames = (env.RENDER_FRAME_LIST ?? '').trim().split(/\s+/).filter(Boolean);
  if (frames.length === 0 || !frames.every((f) => INT.test(f))) return 'no frame list';
  const runs: [number, number, number][] = [];
  for (const frame of frames.map(Number)) {
    const last = runs.at(-1);
    if (last && frame === last[1] + 1) last[1] = frame;
    else runs.push([frame, frame, 1]);
  }
  return runs;
}

/** Variables that change from chunk to chunk, or are renderd's own: left out of what identifies a warm Blender. */
export function stableEnvironment(env: Record<string, string | undefined>): string {
  return Object.keys(env).filter((k) => !/^(RENDER_|RENDERD_)/.test(k)).sort().map((k) => `${k}=${env[k]}`).join('\0');
}
