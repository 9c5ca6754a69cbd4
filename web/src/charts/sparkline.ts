// A tile's trend: a small SVG line over the weekly points, with gaps where a week has no value.
// Plain SVG rather than a chart library: five of them must draw before the overview counts as
// ready, and they need no axes.

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 160;
const HEIGHT = 32;
const PAD = 3;

export function sparkline(values: (number | null)[], label: string): SVGSVGElement | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length < 2) return null;
  const min = Math.min(...known);
  const span = Math.max(...known) - min || 1;
  const x = (i: number) => PAD + (i * (WIDTH - 2 * PAD)) / (values.length - 1);
  const y = (v: number) => HEIGHT - PAD - ((v - min) * (HEIGHT - 2 * PAD)) / span;

  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);

  let path = '';
  let penDown = false;
  values.forEach((value, i) => {
    if (value === null) {
      penDown = false;
      return;
    }
    path += `${penDown ? 'L' : 'M'}${x(i).toFixed(1)} ${y(value).toFixed(1)}`;
    penDown = true;
  });
  const line = document.createElementNS(SVG, 'path');
  line.setAttribute('d', path);
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  svg.appendChild(line);

  // A lone week between gaps would be an invisible zero-length line: mark every point.
  values.forEach((value, i) => {
    if (value === null) return;
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', x(i).toFixed(1));
    dot.setAttribute('cy', y(value).toFixed(1));
    dot.setAttribute('r', '1.4');
    svg.appendChild(dot);
  });
  return svg;
}
