import 'reflect-metadata';
import { runMigrationCli } from '@tongban/runtime';
import { notificationService } from '../notification.service-definition';

void runMigrationCli(notificationService);
