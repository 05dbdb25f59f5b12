// What the terminal can draw, from its environment: kitty's graphics protocol, sixel, or Unicode half
// blocks in true colour or 256 colours. Inside tmux or screen only half blocks get through reliably.
// RENDER_GRAPHICS=kitty|sixel|blocks and COLORTERM decide when set.

export type Protocol = 'kitty' | 'sixel' | 'blocks';
export type ColourDepth = 'truecolor' | '256';
export interface Graphics { protocol: Protocol; colour: ColourDepth }

const SIXEL_TERMS = /^(mlterm|foot|foot-extra|yaft|contour|xterm-sixel)/;

export function detectGraphics(env: NodeJS.ProcessEnv): Graphics {
  const colour: ColourDepth = /^(truecolor|24bit)$/i.test(env.COLORTERM ?? '') ? 'truecolor' : '256';
  const forced = env.RENDER_GRAPHICS?.toLowerCase();
  if (forced === 'kitty' || forced === 'sixel' || forced === 'blocks') return { protocol: forced, colour };
  const term = env.TERM ?? '';
  const multiplexed = Boolean(env.TMUX) || /^(tmux|screen)/.test(term);
  if (multiplexed) return { protocol: 'blocks', colour };
  if (env.KITTY_WINDOW_ID || term === 'xterm-kitty' || env.TERM_PROGRAM === 'ghostty' || env.TERM_PROGRAM === 'WezTerm') return { protocol: 'kitty', colour };
  if (SIXEL_TERMS.test(term)) return { protocol: 'sixel', colour };
  return { protocol: 'blocks', colour };
}
