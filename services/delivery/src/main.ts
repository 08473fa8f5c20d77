import './tracing';
import 'reflect-metadata';
import { runService } from '@tongban/runtime';
import { deliveryService } from './delivery.service-definition';

void runService(deliveryService);
