"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 07:10:05.305554
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('person', 'company', name='clientkind', native_enum=False, length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sort_name', sa.String(length=200), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('external_ref', sa.String(length=64), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('phone_digits', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('preferred_channel', sa.Enum('phone', 'sms', 'email', 'in_person', 'messenger', 'letter', name='channel', native_enum=False, length=20), nullable=True),
    sa.Column('contact_from', sa.Time(), nullable=True),
    sa.Column('contact_to', sa.Time(), nullable=True),
    sa.Column('contact_days', sa.String(length=7), server_default='', nullable=False),
    sa.Column('do_not_contact', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('marketing_consent', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('marketing_consent_on', sa.Date(), nullable=True),
    sa.Column('source_channel', sa.String(length=60), nullable=True),
    sa.Column('referred_by_id', sa.Integer(), nullable=True),
    sa.Column('segment', sa.Enum('A', 'B', 'C', name='segment', native_enum=False), nullable=True),
    sa.Column('segment_override', sa.Enum('A', 'B', 'C', name='segment', native_enum=False), nullable=True),
    sa.Column('preferences', sa.Text(), server_default='', nullable=False),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('erased_at', sa.DateTime(), nullable=True),
    sa.Column('first_purchase_on', sa.Date(), nullable=True),
    sa.Column('last_purchase_on', sa.Date(), nullable=True),
    sa.Column('purchase_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('usual_gap_days', sa.Integer(), nullable=True),
    sa.Column('value_12m', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False),
    sa.Column('next_due_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['referred_by_id'], ['clients.id'], name=op.f('fk_clients_referred_by_id_clients'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clients')),
    sa.UniqueConstraint('external_ref', name='uq_clients_external_ref')
    )
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.create_index('ix_clients_email', ['email'], unique=False)
        batch_op.create_index('ix_clients_list', ['deleted_at', 'sort_name'], unique=False)
        batch_op.create_index('ix_clients_list_due', ['deleted_at', 'next_due_on'], unique=False)
        batch_op.create_index('ix_clients_list_last', ['deleted_at', 'last_purchase_on'], unique=False)
        batch_op.create_index('ix_clients_list_value', ['deleted_at', 'value_12m'], unique=False)
        batch_op.create_index('ix_clients_phone_digits', ['phone_digits'], unique=False)
        batch_op.create_index(batch_op.f('ix_clients_referred_by_id'), ['referred_by_id'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('owner', 'manager', 'receptionist', name='staffrole', native_enum=False, length=20), nullable=False),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('key', name=op.f('uq_tags_key'))
    )
    op.create_table('client_tags',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_client_tags_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_client_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', 'tag_id', name=op.f('pk_client_tags'))
    )
    with op.batch_alter_table('client_tags', schema=None) as batch_op:
        batch_op.create_index('ix_client_tags_tag_id', ['tag_id'], unique=False)

    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('channel', sa.Enum('phone', 'sms', 'email', 'in_person', 'messenger', 'letter', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('category', sa.String(length=80), server_default='', nullable=False),
    sa.Column('client_words', sa.Text(), server_default='', nullable=False),
    sa.Column('severity', sa.Enum('low', 'medium', 'high', name='severity', native_enum=False, length=20), nullable=False),
    sa.Column('fault', sa.Enum('us', 'client', 'third_party', 'unclear', name='fault', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('open', 'in_progress', 'resolved', 'closed_kept', 'closed_lost', name='complaintstatus', native_enum=False, length=20), nullable=False),
    sa.Column('apology', sa.Text(), server_default='', nullable=False),
    sa.Column('apology_given_at', sa.DateTime(), nullable=True),
    sa.Column('client_request', sa.Text(), server_default='', nullable=False),
    sa.Column('compensation_kind', sa.Enum('none', 'refund', 'discount', 'free_service', 'replacement', 'gift', name='compensationkind', native_enum=False, length=20), nullable=False),
    sa.Column('compensation_value', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False),
    sa.Column('compensation_approved_by_id', sa.Integer(), nullable=True),
    sa.Column('accountable_staff_id', sa.Integer(), nullable=True),
    sa.Column('corrective_action', sa.Text(), server_default='', nullable=False),
    sa.Column('first_response_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('satisfied', sa.Boolean(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('review_main_complaint', sa.Text(), server_default='', nullable=False),
    sa.Column('review_presentation', sa.Text(), server_default='', nullable=False),
    sa.Column('review_our_view', sa.Text(), server_default='', nullable=False),
    sa.Column('review_helped', sa.Text(), server_default='', nullable=False),
    sa.Column('review_hurt', sa.Text(), server_default='', nullable=False),
    sa.Column('review_care_shown', sa.Text(), server_default='', nullable=False),
    sa.Column('review_differently', sa.Text(), server_default='', nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('lesson', sa.Text(), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_complaints_rating_range')),
    sa.ForeignKeyConstraint(['accountable_staff_id'], ['staff.id'], name=op.f('fk_complaints_accountable_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_complaints_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['compensation_approved_by_id'], ['staff.id'], name=op.f('fk_complaints_compensation_approved_by_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_complaints_status_opened', ['status', 'opened_at'], unique=False)

    op.create_table('consent_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('consent_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=200), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_consent_events_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_events'))
    )
    with op.batch_alter_table('consent_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_events_client_id'), ['client_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('plan', sa.String(length=120), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('active', 'frozen', 'expired', 'renewed', 'cancelled', name='membershipstatus', native_enum=False, length=20), nullable=False),
    sa.Column('frozen_from', sa.Date(), nullable=True),
    sa.Column('frozen_until', sa.Date(), nullable=True),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('promo', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('discount', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('special_conditions', sa.Text(), server_default='', nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_memberships_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_client_end', ['client_id', 'ends_on'], unique=False)
        batch_op.create_index('ix_memberships_end', ['ends_on'], unique=False)

    op.create_table('relatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('relation', sa.Enum('spouse', 'partner', 'child', 'parent', 'sibling', 'grandchild', 'other', name='relation', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_relatives_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relatives'))
    )
    with op.batch_alter_table('relatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relatives_client_id'), ['client_id'], unique=False)

    op.create_table('segment_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('segment', sa.Enum('A', 'B', 'C', name='segment', native_enum=False), nullable=False),
    sa.Column('previous', sa.Enum('A', 'B', 'C', name='segment', native_enum=False), nullable=True),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('recorded_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_segment_history_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segment_history')),
    sa.UniqueConstraint('client_id', 'quarter', name=op.f('uq_segment_history_client_id_quarter'))
    )
    with op.batch_alter_table('segment_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_segment_history_client_id'), ['client_id'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('follow_up', 'onboarding', 'renewal', 'personal_date', 'gift', 'complaint_callback', 'complaint_review', 'win_back', 'keep_in_touch', 'quarterly_review', 'manual', name='taskkind', native_enum=False, length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('window_end', sa.Date(), nullable=True),
    sa.Column('priority', sa.Integer(), server_default='50', nullable=False),
    sa.Column('status', sa.Enum('open', 'done', 'snoozed', 'cancelled', 'missed', name='taskstatus', native_enum=False, length=20), nullable=False),
    sa.Column('source_kind', sa.String(length=30), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('source_key', sa.String(length=120), nullable=True),
    sa.Column('rule', sa.String(length=60), server_default='', nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('snoozed_until', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('assigned_staff_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['assigned_staff_id'], ['staff.id'], name=op.f('fk_tasks_assigned_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_tasks_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
    sa.UniqueConstraint('source_key', name=op.f('uq_tasks_source_key'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_client_status', ['client_id', 'status', 'due_on'], unique=False)
        batch_op.create_index('ix_tasks_source', ['source_kind', 'source_id'], unique=False)
        batch_op.create_index('ix_tasks_status_due', ['status', 'due_on'], unique=False)

    op.create_table('complaint_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('open', 'done', 'not_applicable', name='checkstate', native_enum=False, length=20), nullable=False),
    sa.Column('by_staff_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('item BETWEEN 1 AND 8', name=op.f('ck_complaint_checks_item_range')),
    sa.ForeignKeyConstraint(['by_staff_id'], ['staff.id'], name=op.f('fk_complaint_checks_by_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_checks_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_checks')),
    sa.UniqueConstraint('complaint_id', 'item', name=op.f('uq_complaint_checks_complaint_id_item'))
    )
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('channel', sa.Enum('phone', 'sms', 'email', 'in_person', 'messenger', 'letter', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('direction', sa.Enum('outbound', 'inbound', name='direction', native_enum=False, length=20), nullable=False),
    sa.Column('purpose', sa.Enum('follow_up', 'onboarding', 'renewal', 'personal_date', 'gift', 'complaint_callback', 'complaint_review', 'win_back', 'keep_in_touch', 'quarterly_review', 'manual', name='taskkind', native_enum=False, length=20), nullable=False),
    sa.Column('outcome', sa.Enum('reached', 'no_answer', 'left_message', 'meeting_booked', 'complaint_found', 'declined', 'wrong_number', 'call_back_later', name='outcome', native_enum=False, length=20), nullable=False),
    sa.Column('tone', sa.Enum('positive', 'neutral', 'negative', name='tone', native_enum=False, length=20), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('decline_reason', sa.String(length=120), nullable=True),
    sa.Column('meeting_at', sa.DateTime(), nullable=True),
    sa.Column('call_back_on', sa.Date(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_contacts_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_contacts_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_contacts_task_id_tasks'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_at', ['at'], unique=False)
        batch_op.create_index('ix_contacts_client_at', ['client_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_task_id'), ['task_id'], unique=False)

    op.create_table('personal_dates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('relative_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('birthday', 'name_day', 'anniversary', 'custom', name='datekind', native_enum=False, length=20), nullable=False),
    sa.Column('label', sa.String(length=120), server_default='', nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('gift_reminder_days', sa.Integer(), nullable=True),
    sa.CheckConstraint('day BETWEEN 1 AND 31', name=op.f('ck_personal_dates_day_range')),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_personal_dates_month_range')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_personal_dates_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['relative_id'], ['relatives.id'], name=op.f('fk_personal_dates_relative_id_relatives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_dates'))
    )
    with op.batch_alter_table('personal_dates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_dates_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_personal_dates_month_day', ['month', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_dates_relative_id'), ['relative_id'], unique=False)

    op.create_table('purchases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('purchased_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('item', sa.String(length=200), server_default='', nullable=False),
    sa.Column('quantity', sa.Numeric(precision=10, scale=3), server_default='1', nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('is_credit', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('import_key', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_purchases_quantity_positive')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_purchases_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_purchases_complaint_id_complaints'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_purchases_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchases')),
    sa.UniqueConstraint('import_key', name=op.f('uq_purchases_import_key'))
    )
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.create_index('ix_purchases_client_date', ['client_id', 'purchased_on'], unique=False)
        batch_op.create_index('ix_purchases_date', ['purchased_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.drop_index('ix_purchases_date')
        batch_op.drop_index('ix_purchases_client_date')

    op.drop_table('purchases')
    with op.batch_alter_table('personal_dates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_dates_relative_id'))
        batch_op.drop_index('ix_personal_dates_month_day')
        batch_op.drop_index(batch_op.f('ix_personal_dates_client_id'))

    op.drop_table('personal_dates')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_task_id'))
        batch_op.drop_index('ix_contacts_client_at')
        batch_op.drop_index('ix_contacts_at')

    op.drop_table('contacts')
    op.drop_table('complaint_checks')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_status_due')
        batch_op.drop_index('ix_tasks_source')
        batch_op.drop_index('ix_tasks_client_status')

    op.drop_table('tasks')
    with op.batch_alter_table('segment_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_segment_history_client_id'))

    op.drop_table('segment_history')
    with op.batch_alter_table('relatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relatives_client_id'))

    op.drop_table('relatives')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_end')
        batch_op.drop_index('ix_memberships_client_end')

    op.drop_table('memberships')
    with op.batch_alter_table('consent_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_events_client_id'))

    op.drop_table('consent_events')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_status_opened')
        batch_op.drop_index(batch_op.f('ix_complaints_client_id'))

    op.drop_table('complaints')
    with op.batch_alter_table('client_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_client_tags_tag_id')

    op.drop_table('client_tags')
    op.drop_table('tags')
    op.drop_table('staff')
    op.drop_table('settings')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clients_referred_by_id'))
        batch_op.drop_index('ix_clients_phone_digits')
        batch_op.drop_index('ix_clients_list_value')
        batch_op.drop_index('ix_clients_list_last')
        batch_op.drop_index('ix_clients_list_due')
        batch_op.drop_index('ix_clients_list')
        batch_op.drop_index('ix_clients_email')

    op.drop_table('clients')
