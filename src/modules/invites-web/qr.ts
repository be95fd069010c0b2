// The landing page's QR code, made on the server as inline SVG (fill/stroke attributes only, so the CSP
// without 'unsafe-inline' styles lets it through).
import QRCode from "qrcode";

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export async function qrSvg(text: string, label: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
  return svg.trim().replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(label)}" `);
}
