import { IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { textField } from '../account/form-values';
import { namesFromCsv, namesFromList } from '../../awards/name-list';
import type { UploadedForm } from './upload';

/** What a bulk grant or revoke form carries besides the names (checked like the API's). */
export class BulkExtrasDto {
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'Give an http:// or https:// address' },
  )
  @MaxLength(2000)
  issued_for?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export interface BulkForm {
  names: string;
  issued_for: string;
  reason: string;
}

export function bulkForm(body: Record<string, unknown> | undefined): BulkForm {
  return {
    names: textField(body?.names, 100_000),
    issued_for: textField(body?.issued_for, 2100).trim(),
    reason: textField(body?.reason, 1100).trim(),
  };
}

/** The names typed in the box and those of the uploaded CSV file, in that order. */
export function namesOf(form: BulkForm, csv: UploadedForm | undefined): string[] {
  return [...namesFromList(form.names), ...(csv ? namesFromCsv(csv.buffer.toString('utf8')) : [])];
}
