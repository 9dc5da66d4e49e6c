import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import type { Context } from '../context';
import type { DateLike } from '../resolvers/views';
import { defaultFieldCost } from './cost';

/** The one Pothos builder; fields are non-null unless they say otherwise, as in the contract. */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: DateLike } };
}>({
  defaultFieldNullability: false,
  plugins: [ComplexityPlugin],
  // Costs are declared beside fields (see cost.ts) and checked by the envelop before executing
  // (src/servers/graphql/query-cost.ts), on every transport: the plugin's own check in root resolvers is off.
  complexity: { fieldComplexity: defaultFieldCost, disabled: true },
});

builder.scalarType('DateTime', {
  description: 'An ISO-8601 date-time string in UTC, e.g. 2026-01-31T12:00:00.000Z.',
  serialize: (value) => (typeof value === 'string' ? new Date(value) : value).toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime must be an ISO-8601 string.');
    return date;
  },
});
