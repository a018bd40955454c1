/** A stand-alone aedes broker process for tests that must kill the server without killing its broker. */
import { startEmbeddedBroker } from '../../server/src/broker/embedded-broker.js';

const port = Number(process.argv[2] ?? 0);
const broker = await startEmbeddedBroker(port);
process.stdout.write(`ready ${broker.url}\n`);
process.on('SIGTERM', () => {
  void broker.close().then(() => process.exit(0));
});
