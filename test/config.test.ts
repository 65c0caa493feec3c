import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'

describe('configuration from the environment', () => {
  it('defaults to the embedded setup on 127.0.0.1:3000 with data in ./data', () => {
    const c = loadConfig({})
    expect(c.port).toBe(3000)
    expect(c.host).toBe('127.0.0.1')
    expect(c.dataDir).toBe(path.resolve('data'))
    expect(c.databaseFile).toBe(path.resolve('data', 'ladder.db'))
    expect(c.evidenceDir).toBe(path.resolve('data', 'evidence'))
    expect(c.mailDir).toBe(path.resolve('data', 'mail'))
    expect(c.baseUrl).toBe('http://127.0.0.1:3000')
    expect(c.smtpUrl).toBeUndefined()
    expect(c.evidenceMaxFileBytes).toBe(10 * 1024 * 1024)
    expect(c.trustProxy).toBe(false)
  })

  it('believes a proxy only when TRUST_PROXY says so', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true)
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false)
  })

  it('reads every variable of the contract', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/srv/ladder',
      DATABASE_URL: 'file:/srv/db/main.db',
      SMTP_URL: 'smtp://user:pass@mail.example.org:587',
      BASE_URL: 'https://ladder.example.org/',
    })
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/srv/ladder',
      databaseFile: '/srv/db/main.db',
      smtpUrl: 'smtp://user:pass@mail.example.org:587',
      baseUrl: 'https://ladder.example.org',
    })
  })

  it('builds the public URL from HOST and PORT when BASE_URL is not set', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '4000' }).baseUrl).toBe('http://localhost:4000')
  })

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', SMTP_URL: '' })).toMatchObject({ port: 3000, smtpUrl: undefined })
  })

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '3.5'],
    ['BASE_URL', 'not a url'],
    ['BASE_URL', 'ftp://x.example'],
    ['SMTP_URL', 'http://mail.example'],
    ['DATABASE_URL', 'mysql://x'],
    ['EVIDENCE_MAX_FILE_MB', '-1'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'yes'],
  ])('stops with one line naming %s when it is %j', (variable, value) => {
    let error: unknown
    try {
      loadConfig({ [variable]: value })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as ConfigError).message
    expect(message).toContain(`Invalid environment variable ${variable}:`)
    expect(message).toContain(JSON.stringify(value))
    expect(message).not.toContain('\n')
  })

  it('refuses PostgreSQL until it is supported, naming DATABASE_URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:p@localhost/ladder' })).toThrow(
      /DATABASE_URL/,
    )
  })

  it('bounds slow clients by default, and lets the operator move every bound', () => {
    expect(loadConfig({})).toMatchObject({
      uploadsPerAddress: 3,
      uploadMinBytesPerSecond: 4096,
      uploadRateWindowMs: 10_000,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 900_000,
    })
    const c = loadConfig({
      UPLOADS_PER_ADDRESS: '5',
      UPLOAD_MIN_RATE_BYTES_PER_S: '100',
      UPLOAD_MIN_RATE_WINDOW_S: '0.5',
      HTTP_HEADERS_TIMEOUT_S: '5',
      HTTP_REQUEST_TIMEOUT_S: '60',
    })
    expect(c).toMatchObject({
      uploadsPerAddress: 5,
      uploadMinBytesPerSecond: 100,
      uploadRateWindowMs: 500,
      headersTimeoutMs: 5000,
      requestTimeoutMs: 60_000,
    })
    expect(() => loadConfig({ UPLOADS_PER_ADDRESS: '0' })).toThrow(/UPLOADS_PER_ADDRESS/)
    expect(() =>
      loadConfig({ HTTP_HEADERS_TIMEOUT_S: '30', HTTP_REQUEST_TIMEOUT_S: '10' }),
    ).toThrow(/HTTP_REQUEST_TIMEOUT_S/)
  })
})
