import { Hono } from 'hono'
import { requireRole } from '../auth/middleware.js'
import type { AppEnv } from '../http/env.js'
import { render } from '../http/render.js'
import { activityRoutes } from './activityRoutes.js'
import { deadlineRoutes } from './deadlineRoutes.js'
import { invitationRoutes } from './invitationRoutes.js'
import { macroRoutes } from './macroRoutes.js'
import { outboxRoutes } from './outboxRoutes.js'
import { providerRoutes } from './providerRoutes.js'
import { userRoutes } from './userRoutes.js'

/** Everything under /admin is for administrators only; the guard sits before every route. */
export const adminRoutes = new Hono<AppEnv>()

adminRoutes.use('*', requireRole('admin'))
adminRoutes.get('/', (c) => render(c, 'admin/index', {}))
adminRoutes.route('/users', userRoutes)
adminRoutes.route('/invitations', invitationRoutes)
adminRoutes.route('/providers', providerRoutes)
adminRoutes.route('/deadlines', deadlineRoutes)
adminRoutes.route('/outbox', outboxRoutes)
adminRoutes.route('/activity', activityRoutes)
adminRoutes.route('/macros', macroRoutes)
