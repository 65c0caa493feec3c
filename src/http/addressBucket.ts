import net from 'node:net'

/**
 * The part of a client address that one client controls, for limits per client: an IPv4
 * address, or the /64 network of an IPv6 one, since a home or a phone is given a whole /64 and
 * may send from any address in it. IPv4 written as IPv6 (`::ffff:192.0.2.1`) is that IPv4.
 */
export function addressBucket(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)
  if (mapped) return mapped[1]!
  const bare = address.split('%')[0]!
  if (!net.isIPv6(bare)) return address
  const [head, tail] = bare.split('::') as [string, string | undefined]
  const hextets = (s: string) => (s ? s.split(':').flatMap(dottedToHextets) : [])
  const front = hextets(head)
  const back = tail === undefined ? [] : hextets(tail)
  const groups =
    tail === undefined
      ? front
      : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back]
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`
}

// An IPv6 address may end in dotted IPv4 (`64:ff9b::192.0.2.1`): two groups.
function dottedToHextets(group: string): string[] {
  if (!group.includes('.')) return [group]
  const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number]
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)]
}
