import './tracing';
import 'reflect-metadata';
import { runService } from '@tongban/runtime';
import { routingService } from './routing.service-definition';

void runService(routingService);
