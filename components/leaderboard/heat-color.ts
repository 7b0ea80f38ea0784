/**
 * A heatmap cell's colours: the tint is blended onto white into an opaque colour (so it reads
 * the same on a light or dark card), and the text on it is black or white, whichever contrasts
 * more, so every printed number passes WCAG AA.
 */
const INDIGO = [79, 70, 229] as const;
const ROSE = [225, 29, 72] as const;

export function heatColor(t: number, diverging: boolean): { background: string; color: string } {
  const [tint, alpha] = !diverging
    ? [INDIGO, t * 0.85 + 0.05]
    : t >= 0.5
      ? [INDIGO, (t - 0.5) * 2 * 0.85 + 0.05]
      : [ROSE, (0.5 - t) * 2 * 0.85 + 0.05];
  const rgb = tint.map((c) => Math.round(255 + (c - 255) * alpha)) as [number, number, number];
  const l = luminance(rgb);
  // contrast with black (l + 0.05) / 0.05 against white 1.05 / (l + 0.05)
  const color = (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000" : "#fff";
  return { background: `rgb(${rgb.join(" ")})`, color };
}

function luminance(rgb: [number, number, number]): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
