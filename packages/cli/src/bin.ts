#!/usr/bin/env node
import { main } from './program.js';

// Exit explicitly: once the service has stopped nothing should keep the process alive.
process.exit(await main(process.argv.slice(2)));
