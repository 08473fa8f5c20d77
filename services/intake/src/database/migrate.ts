import 'reflect-metadata';
import { runMigrationCli } from '@tongban/runtime';
import { intakeService } from '../intake.service-definition';

void runMigrationCli(intakeService);
