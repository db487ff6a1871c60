// The baseline of test/bench/roundtrip.ts: a plain Node child that answers every IPC message at once.
process.on('message', (m) => process.send(m));
process.on('disconnect', () => process.exit(0));
