import QRCode from 'qrcode';

/**
 * A QR code of a URL as a PNG: error correction M (a printed code survives some wear), 8
 * pixels per module and a quiet zone of 2, about 300 pixels square for a claim URL.
 */
export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 });
}
