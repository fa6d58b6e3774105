// Bill numbers and bill inputs, shared by the Worker, the BillSession object and the UI.
import { z } from 'zod';
import { BILL_NO_FORMAT, isBillNo, normalizeBillNo } from './bill-no';

export { BILL_NO_FORMAT, BILL_NO_PATTERN, isBillNo, normalizeBillNo } from './bill-no';

export const BILL_CAPACITY_MIN = 1;
export const BILL_CAPACITY_MAX = 50;
/**
 * Weights: the expected weight of a bill is 1 kg per child bag counted onto it; the actual weight is what the
 * load weighs (typed in, or set by a weighbridge), at most WEIGHT_MAX_KG, kept to 10 g.
 */
export const CHILD_WEIGHT_KG = 1;
export const WEIGHT_MAX_KG = 100_000;


const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, `${field} is required`)
    .max(max, `${field} is at most ${max} characters`);

export const createBillBodySchema = z.strictObject({
  billNo: z
    .string({ error: 'billNo must be a string' })
    .max(64, 'billNo is at most 64 characters')
    .transform(normalizeBillNo)
    .refine(isBillNo, `billNo must be ${BILL_NO_FORMAT}`),
  destination: text('destination', 120),
  vehicleNo: text('vehicleNo', 32),
  description: z.string({ error: 'description must be a string' }).trim().max(500, 'description is at most 500 characters').nullish(),
  capacity: z
    .number({ error: 'capacity must be a number' })
    .int('capacity must be a whole number')
    .min(BILL_CAPACITY_MIN, `capacity is at least ${BILL_CAPACITY_MIN}`)
    .max(BILL_CAPACITY_MAX, `capacity is at most ${BILL_CAPACITY_MAX}`),
});
export type CreateBillBody = z.infer<typeof createBillBodySchema>;

/** `PATCH /api/bills/{billNo}`: the measured weight (null clears it), from a person or a weighbridge device. */
export const weighBillBodySchema = z.strictObject({
  actualWeightKg: z
    .number({ error: 'actualWeightKg must be a number of kilograms, or null to clear it' })
    .min(0, 'actualWeightKg is at least 0')
    .max(WEIGHT_MAX_KG, `actualWeightKg is at most ${WEIGHT_MAX_KG}`)
    .transform((kg) => Math.round(kg * 100) / 100)
    .nullable(),
  weightSource: z.enum(['manual', 'weighbridge'], { error: 'weightSource must be manual or weighbridge' }).default('manual'),
});
export type WeighBillBody = z.infer<typeof weighBillBodySchema>;

/** What the Worker hands the bill object: the validated body with the description normalized. */
export interface NewBill {
  billNo: string;
  destination: string;
  vehicleNo: string;
  description: string | null;
  capacity: number;
}
