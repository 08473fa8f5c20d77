import './tracing';
import 'reflect-metadata';
import { runService } from '@tongban/runtime';
import { intakeService } from './intake.service-definition';

void runService(intakeService);
