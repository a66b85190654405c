import { describe, expect, it } from 'vitest';
import { DEMO_ORDER_COUNT, demoOrder, demoSensorReading, simulatedTime } from './demoData';

describe('demo data', () => {
  it('is the same for the same index: a reproducible demo', () => {
    expect(demoOrder(123, 1000)).toEqual(demoOrder(123, 1000));
    expect(demoSensorReading(77, 5000)).toEqual(demoSensorReading(77, 5000));
    expect(demoOrder(1, 1000)).not.toEqual(demoOrder(2, 1000));
  });

  it('orders are realistic JSON keyed by customer, and amounts add up', () => {
    const regions = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const record = demoOrder(i, 1_700_000_000_000);
      const order = JSON.parse(record.value);
      expect(record.key).toBe(order.customer.id);
      regions.add(record.key.split('-')[0]!);
      expect(order).toMatchObject({
        id: expect.stringMatching(/^ord-\d{7}$/),
        currency: expect.stringMatching(/^[A-Z]{3}$/),
        country: expect.stringMatching(/^[A-Z]{2}$/),
      });
      expect(order.items.length).toBeGreaterThan(0);
      const total = order.items.reduce(
        (sum: number, item: { price: number; quantity: number }) =>
          sum + item.price * item.quantity,
        0,
      );
      expect(order.amount).toBeCloseTo(total, 0);
    }
    expect([...regions].sort()).toEqual(['apac', 'eu', 'us']);
  });

  it('sensor readings carry temperature, humidity and pressure per device', () => {
    const reading = JSON.parse(demoSensorReading(5, 1_700_000_000_000).value);
    expect(reading).toMatchObject({
      device: 'sensor-06',
      temperature: expect.any(Number),
      humidity: expect.any(Number),
      pressure: expect.any(Number),
    });
  });

  it('spreads timestamps over the simulated hours, in order, ending at the given time', () => {
    const end = 1_700_000_000_000;
    const times = Array.from({ length: DEMO_ORDER_COUNT }, (_, i) =>
      simulatedTime(i, DEMO_ORDER_COUNT, end),
    );
    expect(times[0]!).toBeGreaterThanOrEqual(end - 12 * 3_600_000);
    expect(times.at(-1)!).toBeLessThanOrEqual(end);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
  });
});
