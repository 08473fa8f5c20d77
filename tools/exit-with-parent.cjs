/*
 * Preloaded (node -r) into the processes the test kit starts (libs/testing runNode): such a
 * process stops itself, with SIGTERM and so a graceful shutdown, once the test process that
 * started it is gone. A test runner that crashes (a heap exhausted, a SIGKILL) would otherwise
 * leave services running that keep consuming the broker's topics under their own consumer groups
 * and answer the next suites' events as a second, unseen instance.
 */
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();
