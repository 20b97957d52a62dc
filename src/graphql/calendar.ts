import { calendarRange, importCalendarYear, setCalendarDays } from '../domain/calendar.js';
import type { CalendarDay } from '../sla/calendar.js';
import { builder } from './builder.js';
import type { UserError } from './errors.js';
import { asPayload, refusalsAsErrors, requireStaff, UserErrorRef } from './errors.js';

const CalendarDayRef = builder.objectRef<CalendarDay>('CalendarDay').implement({
  description: 'One day of the statutory calendar the working-day clocks count by (Asia/Shanghai).',
  fields: (t) => ({
    date: t.expose('date', { type: 'Date', description: 'The day.' }),
    workday: t.exposeBoolean('workday', {
      description:
        'True when working-day clocks count it (a weekday, or a weekend day made a working day); false for weekends and public holidays.',
    }),
    name: t.exposeString('name', {
      nullable: true,
      description:
        'The holiday or make-up day it belongs to, e.g. 国庆节; null for an ordinary day.',
    }),
  }),
});

const CalendarDayInput = builder.inputType('CalendarDayInput', {
  description: 'One day of the statutory calendar.',
  fields: (t) => ({
    date: t.field({ type: 'Date', required: true, description: 'The day, YYYY-MM-DD.' }),
    workday: t.boolean({
      required: true,
      description: 'False for a public holiday; true for a weekend day made a working day (调休).',
    }),
    name: t.string({ description: 'What it is, e.g. 春节.' }),
  }),
});

const CalendarPayload = builder
  .objectRef<{ days: CalendarDay[] | null; userErrors: UserError[] }>('CalendarPayload')
  .implement({
    description:
      'The answer to a calendar change: the days stored, or the userErrors that refused it.',
    fields: (t) => ({
      days: t.field({
        type: [CalendarDayRef],
        description: 'The days stored; empty when refused.',
        resolve: (p) => p.days ?? [],
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description:
          'Empty on success; FORBIDDEN for a viewer who may not manage the calendar, VALIDATION for a bad day or year.',
        resolve: (p) => p.userErrors,
      }),
    }),
  });

builder.queryFields((t) => ({
  calendar: t.field({
    type: [CalendarDayRef],
    description:
      'Every day of [from, to] (at most 731) as the SLA clocks count it: statutory and administrator-set days, Monday–Friday elsewhere.',
    args: {
      from: t.arg({ type: 'Date', required: true, description: 'The first day (inclusive).' }),
      to: t.arg({
        type: 'Date',
        required: true,
        description:
          'The last day (inclusive); a range over 731 days is a VALIDATION GraphQL error.',
      }),
    },
    resolve: (_, { from, to }, ctx) =>
      refusalsAsErrors('to', () => calendarRange(ctx.db, from, to)),
  }),
}));

const CalendarYearInput = builder.inputType('CalendarYearInput', {
  description: "A year's statutory calendar as the State Council publishes it.",
  fields: (t) => ({
    year: t.int({
      required: true,
      description: 'The year, e.g. 2027; every day given must fall in it.',
    }),
    days: t.field({
      type: [CalendarDayInput],
      required: true,
      description:
        'Every holiday and every make-up working day of the year; other days follow Monday–Friday.',
    }),
  }),
});

builder.mutationFields((t) => ({
  importCalendarYear: t.field({
    type: CalendarPayload,
    description:
      "An ADMIN of a province (or the bootstrap administrator) loads a year's statutory calendar as the State Council publishes it, replacing what the year held; running working-day clocks are recomputed in the same transaction and the missing-year warnings stop (D27). userErrors: FORBIDDEN, VALIDATION. Staff only.",
    args: {
      input: t.arg({
        type: CalendarYearInput,
        required: true,
        description: 'The year and its holidays and make-up working days.',
      }),
    },
    resolve: (_, { input }, ctx) => {
      requireStaff(ctx);
      return asPayload('days', () =>
        importCalendarYear(
          ctx.db,
          ctx.ability,
          ctx.viewer!,
          input,
          ctx.services.config.sla.warnRatio,
          ctx.services.clock.now(),
        ),
      );
    },
  }),
  setCalendarDays: t.field({
    type: CalendarPayload,
    description:
      'An ADMIN of a province (or the bootstrap administrator) stores single days (e.g. a late change to the statutory schedule), keeping the rest of the year; running working-day clocks are recomputed (D27). userErrors: FORBIDDEN, VALIDATION. Staff only.',
    args: {
      days: t.arg({ type: [CalendarDayInput], required: true, description: 'The days to store.' }),
    },
    resolve: (_, { days }, ctx) => {
      requireStaff(ctx);
      return asPayload('days', () =>
        setCalendarDays(ctx.db, ctx.ability, days, ctx.services.config.sla.warnRatio),
      );
    },
  }),
}));
