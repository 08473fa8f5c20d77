import { Logger } from '@nestjs/common';
import { logLevel } from 'kafkajs';
import { isRoutineRebalanceNotice, kafkaLogCreator } from './kafka-log-creator';

describe('kafkaLogCreator', () => {
  const rebalance = {
    message: 'Response Heartbeat(key: 12, version: 3)',
    error: 'The group is rebalancing, so a rejoin is needed',
    broker: '127.0.0.1:9092',
    timestamp: '2026-11-24T05:04:04.273Z',
    logger: 'kafkajs',
  };

  it('knows a rebalance heartbeat from a real error', () => {
    expect(isRoutineRebalanceNotice(rebalance.message, rebalance.error)).toBe(true);
    expect(isRoutineRebalanceNotice('Connection error', 'connect ECONNREFUSED 127.0.0.1:9092')).toBe(false);
    expect(isRoutineRebalanceNotice('Crash: KafkaJSNumberOfRetriesExceeded', undefined)).toBe(false);
  });

  it('logs a rebalance notice at debug and other errors at error, as structured fields', () => {
    const debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const log = kafkaLogCreator('ServerKafka')(logLevel.ERROR);
      log({ namespace: 'Connection', level: logLevel.ERROR, label: 'ERROR', log: rebalance });
      log({
        namespace: 'Connection',
        level: logLevel.ERROR,
        label: 'ERROR',
        log: {
          message: 'Connection error',
          error: 'connect ECONNREFUSED',
          timestamp: 'x',
          logger: 'kafkajs',
        },
      });
      expect(debug).toHaveBeenCalledWith({
        msg: '[Connection] Response Heartbeat(key: 12, version: 3)',
        error: rebalance.error,
        broker: rebalance.broker,
      });
      expect(error).toHaveBeenCalledTimes(1);
      expect(error).toHaveBeenCalledWith({
        msg: '[Connection] Connection error',
        error: 'connect ECONNREFUSED',
      });
    } finally {
      debug.mockRestore();
      error.mockRestore();
    }
  });
});
