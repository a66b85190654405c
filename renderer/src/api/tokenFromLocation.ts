/**
 * Imported first by main.ts, for its side effect: the token leaves the address bar before any
 * other module runs — in particular before the router's history reads the URL (it does so when
 * its module is evaluated, and would otherwise carry `#token=…` into the first route).
 */
import { takeTokenFromLocation } from './token';

takeTokenFromLocation();
