import { packageTsup } from '../../tsup.base.js';

// The bin gets no .d.ts: nothing imports it.
export default packageTsup(['src/index.ts', 'src/bin.ts'], { dts: ['src/index.ts'] });
