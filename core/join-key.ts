/** Joins a key prefix (a folder or an S3 prefix) and a name with exactly one '/'; '' means no prefix. */
export function joinKey(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix.replace(/\/+$/, '')}/${name}`;
}
