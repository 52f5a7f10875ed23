import { csvField, defuse } from './csv';

describe('CSV formula defusing', () => {
  it.each([
    ['=1+1'],
    ['+1+1'],
    ['-SUM(A1:A2)'],
    ['-2+3'],
    ['- Rà soát'],
    ['@SUM(A1)'],
    ['\t=1+1'],
    ['\r=1+1'],
    ['  =1+1'],
    ['\u00a0+1'],
    ['＝1+1'],
    ['＋1'],
    ['－1'],
    ['＠SUM(A1)'],
  ])('puts an apostrophe before %p', (value) => {
    expect(defuse(value)).toBe(`'${value}`);
  });

  it.each([['Rà soát'], ['10%'], ['Quý II/2024'], ['a=b'], ['email@xa.gov.vn'], ['']])('leaves %p as it is', (value) => {
    expect(defuse(value)).toBe(value);
  });

  it('defuses before quoting, so the apostrophe is inside the quotes', () => {
    expect(csvField('-1,"x"')).toBe(`"'-1,""x"""`);
    expect(csvField('=cmd|\' /C calc\'!A0')).toBe(`'=cmd|' /C calc'!A0`);
  });

  it('leaves numbers as numbers', () => {
    expect(csvField(-3)).toBe('-3');
  });
});
