// The cluster's SMTP sink as a process of its own (the supervisor can kill and restart it like the others).
// Every caught message is written to SMTP_SINK_STORE before the sink answers 250, so a restart loses none.
import { startSmtpSink } from '../../libs/notifications/src/smtp-sink';

async function main(): Promise<void> {
  const port = Number(process.env.SMTP_SINK_PORT);
  const storeDir = process.env.SMTP_SINK_STORE;
  if (!Number.isInteger(port) || port < 1 || !storeDir) throw new Error('SMTP_SINK_PORT and SMTP_SINK_STORE must be set');
  const sink = await startSmtpSink({ port, host: '127.0.0.1', storeDir });
  process.stdout.write(`SMTP sink listening on ${sink.url}, messages in ${storeDir}\n`);
  const stop = (): void => {
    void sink.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
