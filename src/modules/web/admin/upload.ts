import { FileInterceptor } from '@nestjs/platform-express';

/** An uploaded file as multer hands it over (kept in memory: art and name lists are small). */
export interface UploadedForm {
  buffer: Buffer;
  size: number;
  originalname: string;
}

/**
 * Hard ceiling of an upload, above the art's own limit (1 MB) so that slightly larger
 * files get the form back with a message rather than a bare 413 page.
 */
export const UPLOAD_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * One optional file field of a multipart form. Multipart bodies are read after the guards:
 * such forms carry their CSRF token in the query (`?_csrf=`), which CsrfGuard accepts.
 */
export const OneFile = (field: string) =>
  // No storage given: multer keeps the file in memory (`buffer`).
  FileInterceptor(field, {
    limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 50 },
  });
