import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { invalidRequest } from './validation.pipe';

const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

/** A path or query parameter that must be a UUID: 400 in the project's format, naming it. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!UUID.test(value))
      throw invalidRequest([{ field: metadata.data ?? '(param)', reason: 'must be a UUID' }]);
    return value;
  }
}
