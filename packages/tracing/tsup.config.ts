import { packageTsup } from '../../tsup.base.js';

export default packageTsup(['src/index.ts', 'src/collector.ts']);
