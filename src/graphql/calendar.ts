import { calendarRange, importCalendarYear, setCalendarDays } from '../domain/calendar.js';
import type { CalendarDay } from '../sla/calendar.js';
import { builder } from './builder.js';
import { asPayload, refusalsAsErrors, requireStaff, UserErrorRef, type UserError } from './errors.js';

const CalendarDayRef = builder.objectRef<CalendarDay>('CalendarDay').implement({
  fields: (t) => ({
    date: t.expose('date', { type: 'Date' }),
    workday: t.exposeBoolean('workday'),
    name: t.exposeString('name', { nullable: true }),
  }),
});

const CalendarDayInput = builder.inputType('CalendarDayInput', {
  fields: (t) => ({
    date: t.field({ type: 'Date', required: true }),
    workday: t.boolean({ required: true }),
    name: t.string(),
  }),
});

const CalendarPayload = builder.objectRef<{ days: CalendarDay[] | null; userErrors: UserError[] }>('CalendarPayload').implement({
  fields: (t) => ({
    days: t.field({ type: [CalendarDayRef], resolve: (p) => p.days ?? [] }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
  }),
});

builder.queryFields((t) => ({
  calendar: t.field({
    type: [CalendarDayRef],
    description: 'Every day of [from, to] (at most 731) as the SLA clocks count it: statutory and administrator-set days, Monday–Friday elsewhere.',
    args: { from: t.arg({ type: 'Date', required: true }), to: t.arg({ type: 'Date', required: true }) },
    resolve: (_, { from, to }, ctx) => refusalsAsErrors('to', () => calendarRange(ctx.db, from, to)),
  }),
}));

const CalendarYearInput = builder.inputType('CalendarYearInput', {
  fields: (t) => ({
    year: t.int({ required: true }),
    days: t.field({
      type: [CalendarDayInput],
      required: true,
      description: 'Every holiday and every make-up working day of the year; other days follow Monday–Friday.',
    }),
  }),
});

builder.mutationFields((t) => ({
  importCalendarYear: t.field({
    type: CalendarPayload,
    description:
      "ADMIN: loads a year's statutory calendar as the State Council publishes it (D27), replacing what the year held; running working-day clocks are recomputed in the same transaction and the missing-year warnings stop.",
    args: { input: t.arg({ type: CalendarYearInput, required: true }) },
    resolve: (_, { input }, ctx) => {
      requireStaff(ctx);
      return asPayload('days', () =>
        importCalendarYear(ctx.db, ctx.ability, ctx.viewer!, input, ctx.services.config.sla.warnRatio, ctx.services.clock.now()),
      );
    },
  }),
  setCalendarDays: t.field({
    type: CalendarPayload,
    description: "ADMIN: stores days (e.g. next year's statutory schedule); running working-day clocks are recomputed.",
    args: { days: t.arg({ type: [CalendarDayInput], required: true }) },
    resolve: (_, { days }, ctx) => {
      requireStaff(ctx);
      return asPayload('days', () => setCalendarDays(ctx.db, ctx.ability, days, ctx.services.config.sla.warnRatio));
    },
  }),
}));
