import 'reflect-metadata';
import { runMigrationCli } from '@tongban/runtime';
import { deliveryService } from '../delivery.service-definition';

void runMigrationCli(deliveryService);
