import './tracing';
import 'reflect-metadata';
import { runService } from '@tongban/runtime';
import { supervisionService } from './supervision.service-definition';

void runService(supervisionService);
