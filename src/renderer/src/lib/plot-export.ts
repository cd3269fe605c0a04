/**
 * Saving what a plot shows, framed as a figure (figure-frame.ts). The page styles its SVG with CSS variables, which mean nothing
 * outside it, so the computed styles are written onto a copy before it is serialised.
 */
const STYLE_PROPERTIES = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-size', 'font-family', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility'];

export function svgSnapshot(svg: SVGSVGElement): { text: string; width: number; height: number } {
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  from.forEach((element, i) => {
    const style = getComputedStyle(element);
    const target = to[i] as SVGElement;
    for (const property of STYLE_PROPERTIES) {
      const value = style.getPropertyValue(property);
      target.style.setProperty(property, value);
      // d3 sets colours as attributes too; an attribute naming a CSS variable would be left dangling.
      if (target.getAttribute(property)?.includes('var(')) target.setAttribute(property, value);
    }
    for (const { name, value } of [...target.attributes]) if (value.includes('var(') && !STYLE_PROPERTIES.includes(name)) target.removeAttribute(name);
  });
  // Readouts for the screen (tick labels a saved figure draws on its own axes) stay out of the file.
  for (const element of copy.querySelectorAll('.screen-only')) element.remove();
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.round(width)));
  copy.setAttribute('height', String(Math.round(height)));
  return { text: new XMLSerializer().serializeToString(copy), width, height };
}

import { framedFigure, type FigureSpec, type PlotImage } from './figure-frame';

function canvasBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the plot could not be drawn to PNG'))), 'image/png'));
}

/** The plot as markup a figure can hold: an SVG plot's styled copy, or a canvas as an embedded PNG. */
export function plotImage(element: SVGSVGElement | HTMLCanvasElement): PlotImage {
  if (element instanceof SVGSVGElement) {
    const { text, width, height } = svgSnapshot(element);
    return { markup: text, width, height };
  }
  const { width, height } = element.getBoundingClientRect();
  return { markup: `<image width="${width}" height="${height}" preserveAspectRatio="none" href="${element.toDataURL('image/png')}"/>`, width, height };
}

/** The framed figure (axes, legend, title) as SVG text. */
export function figureSvg(element: SVGSVGElement | HTMLCanvasElement, spec: FigureSpec): { text: string; width: number; height: number } {
  return framedFigure(plotImage(element), spec);
}

/** A PNG of the framed figure, drawn at twice its size, for print. */
export function figurePng(element: SVGSVGElement | HTMLCanvasElement, spec: FigureSpec): Promise<Blob> {
  return svgToPng(figureSvg(element, spec));
}

/** Renders a standalone SVG document to PNG at twice its size. */
export async function svgToPng({ text, width, height }: { text: string; width: number; height: number }): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the figure could not be rendered'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * 2);
    canvas.height = Math.round(height * 2);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await canvasBlob(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}
