export * from './kafka-options';
export * from './processed-event.entity';
export * from './migrations/1764000000000-create-processed-events';
export * from './inbox';
export * from './inbox-recorder.service';
