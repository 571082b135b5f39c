import { packageVitest } from '../../vitest.base.js';

export default packageVitest();
