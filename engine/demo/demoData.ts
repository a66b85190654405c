/**
 * The demo topics' content: realistic orders and sensor readings, generated from a fixed seed
 * so that every fresh install shows the same data (only the time axis moves: the simulated
 * hours end when the data is made). Pure: no I/O, record i is always the same record.
 */
import { Prng } from '../sampling/prng';

export const DEMO_ORDERS_TOPIC = 'demo.orders';
export const DEMO_SENSORS_TOPIC = 'demo.sensors';
export const DEMO_ORDER_COUNT = 50_000;
export const DEMO_SENSOR_DEVICES = 24;
/** One reading per device a minute, over the simulated hours. */
export const DEMO_SIMULATED_HOURS = 12;
export const DEMO_SENSOR_COUNT = DEMO_SENSOR_DEVICES * DEMO_SIMULATED_HOURS * 60;

export interface DemoRecord {
  key: string;
  value: string;
  timestamp: number;
  headers: Record<string, string>;
}

const MARKETS = [
  { country: 'DE', currency: 'EUR', region: 'eu', weight: 14, rate: 1 },
  { country: 'FR', currency: 'EUR', region: 'eu', weight: 10, rate: 1 },
  { country: 'NL', currency: 'EUR', region: 'eu', weight: 5, rate: 1 },
  { country: 'ES', currency: 'EUR', region: 'eu', weight: 6, rate: 1 },
  { country: 'IT', currency: 'EUR', region: 'eu', weight: 6, rate: 1 },
  { country: 'PL', currency: 'PLN', region: 'eu', weight: 3, rate: 4.3 },
  { country: 'SE', currency: 'SEK', region: 'eu', weight: 2, rate: 11.4 },
  { country: 'GB', currency: 'GBP', region: 'eu', weight: 9, rate: 0.86 },
  { country: 'US', currency: 'USD', region: 'us', weight: 24, rate: 1.08 },
  { country: 'CA', currency: 'CAD', region: 'us', weight: 5, rate: 1.47 },
  { country: 'BR', currency: 'BRL', region: 'us', weight: 3, rate: 5.4 },
  { country: 'JP', currency: 'JPY', region: 'apac', weight: 6, rate: 160 },
  { country: 'AU', currency: 'AUD', region: 'apac', weight: 4, rate: 1.65 },
  { country: 'IN', currency: 'INR', region: 'apac', weight: 3, rate: 90 },
] as const;
const MARKET_WEIGHT = MARKETS.reduce((sum, m) => sum + m.weight, 0);

/** Catalogue prices in EUR. */
const PRODUCTS = [
  { sku: 'KB-101', name: 'Mechanical keyboard', price: 89.9 },
  { sku: 'MS-220', name: 'Wireless mouse', price: 34.5 },
  { sku: 'MN-270', name: '27" monitor', price: 249 },
  { sku: 'HD-330', name: 'Noise-cancelling headphones', price: 179 },
  { sku: 'CB-010', name: 'USB-C cable', price: 9.9 },
  { sku: 'DK-450', name: 'Docking station', price: 139 },
  { sku: 'WC-120', name: 'Webcam', price: 59 },
  { sku: 'LP-900', name: 'Laptop stand', price: 42 },
  { sku: 'SS-512', name: 'Portable SSD 512 GB', price: 74.9 },
  { sku: 'CH-800', name: 'Office chair', price: 319 },
  { sku: 'LM-050', name: 'Desk lamp', price: 27.5 },
  { sku: 'MP-015', name: 'Mouse pad', price: 12 },
] as const;

const FIRST = [
  'Ada',
  'Ben',
  'Chloé',
  'Dmitri',
  'Emma',
  'Farid',
  'Greta',
  'Hiro',
  'Inès',
  'Jonas',
  'Kofi',
  'Lena',
  'Mateo',
  'Nora',
  'Oskar',
  'Priya',
  'Quentin',
  'Rosa',
  'Sven',
  'Tomás',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zoë',
];
const LAST = [
  'Andersen',
  'Baptiste',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hoffmann',
  'Ivanova',
  'Jansen',
  'Kowalski',
  'Laurent',
  'Müller',
  'Nakamura',
  'Okafor',
  'Patel',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Novak',
];
const CHANNELS = ['web', 'web', 'web', 'mobile', 'mobile', 'store', 'partner'] as const;
const STATUSES = [
  'placed',
  'placed',
  'placed',
  'placed',
  'paid',
  'paid',
  'shipped',
  'cancelled',
] as const;
const CUSTOMERS = 2000;

/** Customers are fixed: customer c always lives in the same market and has the same name. */
function customer(c: number) {
  const prng = new Prng(`demo-customer-${c}`);
  let pick = prng.nextInt(MARKET_WEIGHT);
  const market = MARKETS.find((m) => (pick -= m.weight) < 0)!;
  return {
    id: `${market.region}-${String(c).padStart(5, '0')}`,
    name: `${FIRST[prng.nextInt(FIRST.length)]} ${LAST[prng.nextInt(LAST.length)]}`,
    tier: prng.nextFloat() < 0.12 ? 'gold' : prng.nextFloat() < 0.3 ? 'silver' : 'standard',
    market,
  };
}
const customerCache = new Map<number, ReturnType<typeof customer>>();

const round = (amount: number, currency: string) =>
  currency === 'JPY' || currency === 'INR' ? Math.round(amount) : Math.round(amount * 100) / 100;

/**
 * Order `index` of the demo, stamped at `timestamp`. Orders are keyed by customer id
 * (`eu-00042`), so one customer's orders stay in one partition, in order.
 */
export function demoOrder(index: number, timestamp: number): DemoRecord {
  const prng = new Prng(`demo-order-${index}`);
  // A few customers order a lot (a skewed, realistic key distribution).
  const c = Math.floor(CUSTOMERS * prng.nextFloat() ** 2);
  let who = customerCache.get(c);
  if (!who) {
    who = customer(c);
    customerCache.set(c, who);
  }
  const { market } = who;
  const lines = 1 + Math.floor(prng.nextFloat() ** 2 * 5);
  const items = Array.from({ length: lines }, () => {
    const product = PRODUCTS[prng.nextInt(PRODUCTS.length)]!;
    const quantity = prng.nextFloat() < 0.8 ? 1 : 2 + prng.nextInt(3);
    return {
      sku: product.sku,
      name: product.name,
      quantity,
      price: round(product.price * market.rate, market.currency),
    };
  });
  const amount = round(
    items.reduce((sum, item) => sum + item.price * item.quantity, 0),
    market.currency,
  );
  const order = {
    id: `ord-${String(index + 1).padStart(7, '0')}`,
    createdAt: new Date(timestamp).toISOString(),
    customer: { id: who.id, name: who.name, tier: who.tier },
    country: market.country,
    currency: market.currency,
    amount,
    items,
    channel: CHANNELS[prng.nextInt(CHANNELS.length)]!,
    status: STATUSES[prng.nextInt(STATUSES.length)]!,
  };
  return {
    key: who.id,
    value: JSON.stringify(order),
    timestamp,
    headers: { 'content-type': 'application/json', source: `shop-${order.channel}` },
  };
}

const SITES = ['berlin-dc', 'paris-lab', 'oslo-plant', 'austin-dc'] as const;

/** Reading `index`: device `index % devices`, minute `index / devices` of the simulated hours. */
export function demoSensorReading(index: number, timestamp: number): DemoRecord {
  const deviceNumber = index % DEMO_SENSOR_DEVICES;
  const minute = Math.floor(index / DEMO_SENSOR_DEVICES);
  const prng = new Prng(`demo-sensor-${index}`);
  const device = `sensor-${String(deviceNumber + 1).padStart(2, '0')}`;
  const site = SITES[deviceNumber % SITES.length]!;
  const dayPhase = (2 * Math.PI * (timestamp % 86_400_000)) / 86_400_000;
  const baseTemperature = 18 + (deviceNumber % 6);
  const temperature =
    baseTemperature + 4 * Math.sin(dayPhase - Math.PI / 2) + prng.nextGaussian() * 0.4;
  const humidity = Math.min(
    100,
    Math.max(5, 45 - 10 * Math.sin(dayPhase) + prng.nextGaussian() * 3),
  );
  const pressure = 1013 + 6 * Math.sin(minute / 90 + deviceNumber) + prng.nextGaussian() * 0.8;
  // Device 7 has a failing sensor: now and then it reports nonsense, as real fleets do.
  const glitch = deviceNumber === 6 && prng.nextFloat() < 0.01;
  const reading = {
    device,
    site,
    temperature: glitch ? -273.15 : Math.round(temperature * 100) / 100,
    humidity: Math.round(humidity * 10) / 10,
    pressure: Math.round(pressure * 10) / 10,
    battery: Math.round(100 - (minute / (DEMO_SIMULATED_HOURS * 60)) * 12 - deviceNumber * 0.5),
    ts: timestamp,
  };
  return { key: device, value: JSON.stringify(reading), timestamp, headers: { unit: 'metric' } };
}

/** Timestamps of the simulated hours: record i of n, ending at `end`, with seeded jitter. */
export function simulatedTime(index: number, count: number, end: number): number {
  const span = DEMO_SIMULATED_HOURS * 3_600_000;
  const start = end - span;
  const jitter = new Prng(`demo-time-${index}`).nextFloat() * (span / count);
  return Math.floor(start + (index * span) / count + jitter);
}
