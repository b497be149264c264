import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RouterInputs, RouterOutputs } from '@tickets/client';
import { useTickets } from '@tickets/client/react';
import { type FormEvent, useId, useState } from 'react';
import { Badge, Empty, ErrorMessage, Loading, PageTitle } from '../components/ui';
import { timeAgo } from '../format';

type Endpoint = RouterOutputs['webhooks']['list']['items'][number];
type Delivery = RouterOutputs['webhooks']['deliveries']['items'][number];
type EventType = RouterInputs['webhooks']['create']['events'][number];

// Every event an endpoint may subscribe to, in words (the Record makes a new audit action fail the build
// until it is listed here).
const eventLabels: Record<EventType, string> = {
  'ticket.created': 'Ticket created',
  'ticket.updated': 'Ticket updated',
  'ticket.assigned': 'Ticket assigned',
  'ticket.escalated': 'Ticket escalated',
  'ticket.closed': 'Ticket closed',
  'ticket.reopened': 'Ticket reopened',
  'message.created': 'Message posted',
  'attachment.created': 'File attached',
  'sla.breached': 'Service-level target missed',
};
const eventTypes = Object.keys(eventLabels) as EventType[];

/** `/admin/webhooks`: the workspace's endpoints, their secrets (shown once) and their deliveries. */
export function Webhooks() {
  const api = useTickets();
  const list = useQuery(api.webhooks.list.queryOptions({}));
  const [secret, setSecret] = useState<{ url: string; secret: string; rotated: boolean } | null>(null);
  const endpoints = list.data?.items ?? [];
  return (
    <>
      <PageTitle>Webhooks</PageTitle>
      <p className="hint">
        Endpoints receive this workspace's ticket events as signed POST requests (Standard Webhooks). Message
        text is never sent.
      </p>
      {secret ? <SecretOnce {...secret} onDone={() => setSecret(null)} /> : null}
      <CreateEndpoint onCreated={(url, value) => setSecret({ url, secret: value, rotated: false })} />
      <ErrorMessage error={list.error} />
      {list.isPending ? (
        <Loading what="webhook endpoints" />
      ) : endpoints.length === 0 ? (
        <Empty>
          <p>No endpoint yet. Add one above to send ticket events to another system.</p>
        </Empty>
      ) : (
        <ul className="stack endpoints">
          {endpoints.map((endpoint) => (
            <EndpointCard
              key={endpoint.id}
              endpoint={endpoint}
              onRotated={(value) => setSecret({ url: endpoint.url, secret: value, rotated: true })}
            />
          ))}
        </ul>
      )}
    </>
  );
}

function useEndpointsChanged() {
  const api = useTickets();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: api.webhooks.pathKey() });
}

/** A new secret, with a copy button: the server never shows it again. */
function SecretOnce({
  url,
  secret,
  rotated,
  onDone,
}: {
  url: string;
  secret: string;
  rotated: boolean;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(secret).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <section className="card secret-once" aria-labelledby="secret-heading">
      <h2 id="secret-heading">{rotated ? 'New signing secret' : 'Signing secret'}</h2>
      <p>
        For <strong>{url}</strong>. Copy it now into your receiver's configuration:{' '}
        <strong>you will not see this again.</strong>
        {rotated ? ' The previous secret keeps signing beside it for a day.' : null}
      </p>
      <p className="secret" data-testid="webhook-secret">
        {secret}
      </p>
      <div className="row-actions">
        <button type="button" onClick={copy}>
          Copy secret
        </button>
        <button type="button" onClick={onDone}>
          I have stored it
        </button>
      </div>
      <p role="status">
        {copied === 'yes' ? 'Copied.' : copied === 'failed' ? 'Could not copy: select the text instead.' : ''}
      </p>
    </section>
  );
}

function EventChoices({
  chosen,
  onChange,
  legend,
}: {
  chosen: EventType[];
  onChange: (events: EventType[]) => void;
  legend: string;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="checkbox-grid">
        {eventTypes.map((type) => (
          <label key={type} className="inline">
            <input
              type="checkbox"
              checked={chosen.includes(type)}
              onChange={(e) =>
                onChange(e.target.checked ? [...chosen, type] : chosen.filter((other) => other !== type))
              }
            />
            {eventLabels[type]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function CreateEndpoint({ onCreated }: { onCreated: (url: string, secret: string) => void }) {
  const api = useTickets();
  const changed = useEndpointsChanged();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<EventType[]>(eventTypes.filter((type) => type.startsWith('ticket.')));
  const [includeInternal, setIncludeInternal] = useState(false);
  const create = useMutation(
    api.webhooks.create.mutationOptions({
      onSuccess: ({ endpoint, secret }) => {
        onCreated(endpoint.url, secret);
        setUrl('');
        void changed();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ url: url.trim(), events, includeInternal });
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="new-endpoint-heading">
      <h2 id="new-endpoint-heading">Add an endpoint</h2>
      <label>
        Endpoint URL
        <input
          type="url"
          required
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://example.com/hooks/tickets"
        />
      </label>
      <EventChoices chosen={events} onChange={setEvents} legend="Events to send" />
      <label className="inline">
        <input
          type="checkbox"
          checked={includeInternal}
          onChange={(e) => setIncludeInternal(e.target.checked)}
        />
        Include internal notes and internal attachments (their ids only, never the text)
      </label>
      <ErrorMessage error={create.error} />
      <button type="submit" className="primary" disabled={create.isPending || events.length === 0}>
        {create.isPending ? 'Adding…' : 'Add endpoint'}
      </button>
    </form>
  );
}

function EndpointCard({ endpoint, onRotated }: { endpoint: Endpoint; onRotated: (secret: string) => void }) {
  const api = useTickets();
  const changed = useEndpointsChanged();
  const headingId = useId();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const update = useMutation(api.webhooks.update.mutationOptions({ onSuccess: () => changed() }));
  const rotate = useMutation(
    api.webhooks.rotateSecret.mutationOptions({
      onSuccess: ({ secret }) => {
        onRotated(secret);
        void changed();
      },
    }),
  );
  const remove = useMutation(api.webhooks.delete.mutationOptions({ onSuccess: () => changed() }));
  const test = useMutation(
    api.webhooks.test.mutationOptions({
      onSuccess: () => {
        setShowDeliveries(true);
        void changed();
      },
    }),
  );
  return (
    <li className="card stack" aria-labelledby={headingId} data-testid="webhook-endpoint">
      <h2 id={headingId} className="endpoint-url">
        {endpoint.url}
      </h2>
      <p>
        {endpoint.enabled ? (
          <Badge kind="status-closed">Enabled</Badge>
        ) : (
          <Badge kind="escalated">Disabled</Badge>
        )}{' '}
        {endpoint.disabledReason ? `${endpoint.disabledReason}. ` : null}
        {endpoint.consecutiveFailures > 0
          ? `${endpoint.consecutiveFailures} failed attempts in a row. `
          : null}
        Sends: {endpoint.events.map((type) => eventLabels[type as EventType] ?? type).join(', ')}
        {endpoint.includeInternal ? ', including internal ones' : ''}.
      </p>
      <div className="row-actions">
        <button type="button" onClick={() => test.mutate({ id: endpoint.id })} disabled={test.isPending}>
          {test.isPending ? 'Sending a test…' : 'Send test'}
        </button>
        <button
          type="button"
          onClick={() => update.mutate({ id: endpoint.id, enabled: !endpoint.enabled })}
          disabled={update.isPending}
        >
          {endpoint.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" onClick={() => rotate.mutate({ id: endpoint.id })} disabled={rotate.isPending}>
          Rotate secret
        </button>
        <button
          type="button"
          aria-expanded={showDeliveries}
          onClick={() => setShowDeliveries(!showDeliveries)}
        >
          {showDeliveries ? 'Hide deliveries' : 'Show deliveries'}
        </button>
        {confirmDelete ? null : (
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        )}
      </div>
      {test.data ? <TestOutcome delivery={test.data} /> : null}
      {confirmDelete ? (
        <div className="confirm" role="alertdialog" aria-labelledby={`${headingId}-confirm`}>
          <p id={`${headingId}-confirm`}>
            Delete this endpoint and its delivery log? Pending deliveries will never be sent.
          </p>
          <div className="row-actions">
            <button
              type="button"
              className="danger"
              onClick={() => remove.mutate({ id: endpoint.id })}
              disabled={remove.isPending}
            >
              Delete endpoint
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      <ErrorMessage error={test.error ?? update.error ?? rotate.error ?? remove.error} />
      {showDeliveries ? <Deliveries endpointId={endpoint.id} /> : null}
    </li>
  );
}

function TestOutcome({ delivery }: { delivery: Delivery }) {
  const latency = delivery.lastLatencyMs !== null ? ` in ${delivery.lastLatencyMs} ms` : '';
  return (
    <p
      role="status"
      data-testid="test-outcome"
      className={delivery.status === 'delivered' ? 'success' : 'error'}
    >
      {delivery.status === 'delivered'
        ? `Test delivered: the receiver answered ${delivery.lastStatusCode}${latency}.`
        : `Test failed: ${
            delivery.lastStatusCode !== null
              ? `the receiver answered ${delivery.lastStatusCode}${latency}`
              : (delivery.lastError ?? 'no answer')
          }.`}
    </p>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const api = useTickets();
  const queryClient = useQueryClient();
  const deliveries = useQuery(api.webhooks.deliveries.queryOptions({ id: endpointId }));
  const redeliver = useMutation(
    api.webhooks.redeliver.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: api.webhooks.deliveries.pathKey() }),
    }),
  );
  const items = deliveries.data?.items ?? [];
  return (
    <section aria-label="Recent deliveries">
      <ErrorMessage error={deliveries.error ?? redeliver.error} />
      {deliveries.isPending ? (
        <Loading what="deliveries" />
      ) : items.length === 0 ? (
        <Empty>
          <p>Nothing sent yet. Events appear here as they are delivered; "Send test" sends one now.</p>
        </Empty>
      ) : (
        <table className="deliveries">
          <caption>Recent deliveries</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Response</th>
              <th scope="col">Latency</th>
              <th scope="col">Last attempt</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((delivery) => (
              <tr key={delivery.id} data-testid="webhook-delivery">
                <td>{delivery.eventType}</td>
                <td>
                  <Badge
                    kind={
                      delivery.status === 'failed'
                        ? 'escalated'
                        : delivery.status === 'delivered'
                          ? 'status-closed'
                          : 'pending'
                    }
                  >
                    {delivery.status === 'pending'
                      ? 'Pending'
                      : delivery.status === 'delivered'
                        ? 'Delivered'
                        : 'Failed'}
                  </Badge>
                  {delivery.lastError && delivery.status !== 'delivered' ? (
                    <span className="hint"> {delivery.lastError}</span>
                  ) : null}
                </td>
                <td>{delivery.attempts}</td>
                <td>{delivery.lastStatusCode ?? '—'}</td>
                <td>{delivery.lastLatencyMs !== null ? `${delivery.lastLatencyMs} ms` : '—'}</td>
                <td>
                  {delivery.lastAttemptAt ? (
                    <time dateTime={delivery.lastAttemptAt.toISOString()}>
                      {timeAgo(delivery.lastAttemptAt)}
                    </time>
                  ) : (
                    'not yet'
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() => redeliver.mutate({ deliveryId: delivery.id })}
                    disabled={redeliver.isPending}
                    aria-label={`Redeliver ${delivery.eventType} ${delivery.messageId}`}
                  >
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
