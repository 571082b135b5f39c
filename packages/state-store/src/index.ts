export { type Database, openStoreFile, persistPath, reason, STORE_FAILED, STORE_FORMAT, storeError } from './sqlite-file.js';
