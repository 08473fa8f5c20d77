import './tracing';
import 'reflect-metadata';
import { runService } from '@tongban/runtime';
import { notificationService } from './notification.service-definition';

void runService(notificationService);
