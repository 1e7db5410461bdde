// HER2 immunohistochemistry (IHC) scores as pathologists report them.

export type IhcScore = '0' | '1+' | '2+' | '3+';
export const IHC_SCORES: IhcScore[] = ['0', '1+', '2+', '3+'];

export function isIhcScore(value: string): value is IhcScore {
  return (IHC_SCORES as string[]).includes(value);
}
