/**
 * Tag colours as solid fills under white text, each at least 4.5:1 (WCAG AA): antd's preset tag
 * colours (light fill, mid-tone text) fall below that.
 */
export const COLOURS = {
  green: '#237804',
  gold: '#874d00',
  red: '#a8071a',
  purple: '#531dab',
  blue: '#0050b3',
} as const;
