import 'reflect-metadata';
import { runMigrationCli } from '@tongban/runtime';
import { routingService } from '../routing.service-definition';

void runMigrationCli(routingService);
