import { Category, defineScalar } from '../../define/define-scalar.js';

const EARTH_RADIUS_KM = 6371;
const EARTH_RADIUS_MILES = 3959;

function radiusFor(unit: string | null | undefined): number {
  if (unit === null || unit === undefined) return EARTH_RADIUS_KM;
  const u = unit.toLowerCase();
  if (u === 'mi' || u === 'mile' || u === 'miles') return EARTH_RADIUS_MILES;
  if (u === 'km' || u === 'kilometer' || u === 'kilometers' || u === 'kilometre' || u === 'kilometres') return EARTH_RADIUS_KM;
  throw new Error('GeoDistance function fourth parameter must be "MI" (miles) or "KM" (kilometers) if specified');
}

function validate(lat: number, lon: number): void {
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    throw new Error(
      'valid latitude values for GeoDistance function are in the range of -90 to 90 decimal degrees, and longitude values in the range of -180 to 180',
    );
  }
}

/** Great-circle distance by the haversine formula. */
function geoDistance(lat1: number | null, lon1: number | null, lat2: number | null, lon2: number | null, unit?: string | null): number | null {
  if (lat1 === null || lon1 === null || lat2 === null || lon2 === null) return null;
  validate(lat1, lon1);
  validate(lat2, lon2);
  const r = radiusFor(unit);
  const dLat = ((lat2 - lat1) * Math.PI) / 180;
  const dLon = ((lon2 - lon1) * Math.PI) / 180;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos((lat1 * Math.PI) / 180) * Math.cos((lat2 * Math.PI) / 180) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(a));
}

/** GEO_DISTANCE(lat1, lon1, lat2, lon2 [, 'KM' | 'MI']): distance between two points. */
export const geoDistanceFn = defineScalar({
  name: 'GEO_DISTANCE',
  category: Category.MATH,
  description:
    'Compute the distance between two points on the surface of the earth, according to the Haversine formula for "great circle distance". The 5th, optional, parameter specifies the units: KM (default) or MI.',
  overloads: [
    { params: ['DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE'], returns: 'DOUBLE', nullTolerant: true, fn: geoDistance },
    { params: ['DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'STRING'], returns: 'DOUBLE', nullTolerant: true, fn: geoDistance },
  ],
});
