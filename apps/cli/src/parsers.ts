import { InvalidArgumentError } from 'commander';

/** A commander argument parser for a whole number in a range. */
export function integerBetween(min: number, max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    }
    return number;
  };
}
