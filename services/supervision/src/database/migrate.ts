import 'reflect-metadata';
import { runMigrationCli } from '@tongban/runtime';
import { supervisionService } from '../supervision.service-definition';

void runMigrationCli(supervisionService);
