import { Inject } from '@nestjs/common';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const InjectServiceConfig = () => Inject(SERVICE_CONFIG);
