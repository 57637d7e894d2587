<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>App</name>
    <message>
        <location filename="../../app/ui/app.py" line="48"/>
        <location filename="../../app/ui/app.py" line="117"/>
        <source>ClientCare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="49"/>
        <source>Something unexpected went wrong. What you saved before is safe. Details were written to the log: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="72"/>
        <source>Export to a calendar file (.ics)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="113"/>
        <source>Nothing on this day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="123"/>
        <source>Meeting: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="131"/>
        <source>%Ln year(s)</source>
        <translation>
            <numerusform>%Ln year</numerusform>
            <numerusform>%Ln years</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="140"/>
        <source>Export calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="142"/>
        <source>Calendar files (*.ics)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/calendar_page.py" line="153"/>
        <source>Meeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="161"/>
        <source>%Ln event(s) written to %1</source>
        <translation>
            <numerusform>%Ln event written to %1</numerusform>
            <numerusform>%Ln events written to %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ClientCardDialog</name>
    <message>
        <location filename="../../app/ui/client_card.py" line="86"/>
        <source>New client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="93"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="94"/>
        <source>Family and dates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="95"/>
        <source>Purchases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="96"/>
        <source>Memberships</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="97"/>
        <source>Preferences and notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="98"/>
        <source>Contact history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="104"/>
        <source>Save (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="137"/>
        <location filename="../../app/ui/client_card.py" line="262"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="140"/>
        <source>First and last name, or the company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="141"/>
        <source>Name *</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="145"/>
        <source>Loyalty card or patient number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="146"/>
        <source>Card number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="150"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="154"/>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="158"/>
        <source>Comma-separated, e.g. VIP, kids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="159"/>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="162"/>
        <source>not yet computed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="163"/>
        <source>Automatic (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="165"/>
        <source>Always %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="168"/>
        <source>A/B/C group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="174"/>
        <source>Came from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="177"/>
        <source>Type a name to pick the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="179"/>
        <source>Referred by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="182"/>
        <source>Contact rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="189"/>
        <source>Preferred channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="191"/>
        <source>Any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="207"/>
        <source>Best hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="217"/>
        <source>Days (none = any)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="218"/>
        <source>Do not contact this client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="222"/>
        <source>Agreed to marketing on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="226"/>
        <source>Consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="238"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="239"/>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="240"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="253"/>
        <source>&lt;b&gt;Family&lt;/b&gt; — spouse, children, parents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="254"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="254"/>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="254"/>
        <location filename="../../app/ui/client_card.py" line="276"/>
        <location filename="../../app/ui/client_card.py" line="319"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="260"/>
        <source>&lt;b&gt;Personal dates&lt;/b&gt; — birthdays, name days, anniversaries of the client and the family</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="262"/>
        <source>Whose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="262"/>
        <location filename="../../app/ui/client_card.py" line="275"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="263"/>
        <source>Gift reminder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="275"/>
        <source>Item or service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="276"/>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="276"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="292"/>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="292"/>
        <source>Starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="292"/>
        <source>Ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="292"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="293"/>
        <source>Frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="293"/>
        <source>Marks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="308"/>
        <source>Tastes, favourite products, what they expect from us, what to avoid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="311"/>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="312"/>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="318"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="318"/>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="318"/>
        <source>Purpose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="318"/>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="319"/>
        <source>Tone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="331"/>
        <source>No contact logged yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="343"/>
        <source>Group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="345"/>
        <source>client since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="350"/>
        <source>12-month value %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="353"/>
        <source>do not contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="358"/>
        <source>the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="381"/>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="382"/>
        <source>%1 days before</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/client_card.py" line="397"/>
        <source>%n purchase(s), total %1</source>
        <translation>
            <numerusform>%n purchase, total %1</numerusform>
            <numerusform>%n purchases, total %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="407"/>
        <source>promo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="408"/>
        <source>discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="491"/>
        <source>Remove purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="492"/>
        <source>Remove the purchase of %1 on %2? It is removed when you save the card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="606"/>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="607"/>
        <source>Discard the changes to this client?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_card.py" line="622"/>
        <source>%1 (in the Trash)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClientTableModel</name>
    <message>
        <location filename="../../app/ui/client_model.py" line="104"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="104"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="105"/>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="105"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="106"/>
        <source>Last purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="107"/>
        <source>12-month value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="108"/>
        <source>Next contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="108"/>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/client_model.py" line="142"/>
        <source>Do not contact</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClientsPage</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="70"/>
        <source>Search by name, phone, e-mail or notes (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="72"/>
        <source>All groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="74"/>
        <source>Group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="76"/>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="81"/>
        <source>New client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="82"/>
        <source>New client (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="83"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="84"/>
        <source>Move the selected clients to the Trash (Del)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="85"/>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="86"/>
        <source>Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="88"/>
        <source>Show clients moved to the Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="177"/>
        <source>Any tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="197"/>
        <source>%Ln client(s) in the Trash</source>
        <translation>
            <numerusform>%Ln client in the Trash</numerusform>
            <numerusform>%Ln clients in the Trash</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="199"/>
        <source>%Ln client(s)</source>
        <translation>
            <numerusform>%Ln client</numerusform>
            <numerusform>%Ln clients</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="205"/>
        <source>The Trash is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="207"/>
        <source>No client matches the search and filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="210"/>
        <source>No clients yet. Press Ctrl+N or “New client” to add the first one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/clients_page.py" line="285"/>
        <source>%Ln client(s) moved to the Trash.</source>
        <translation>
            <numerusform>%Ln client moved to the Trash.</numerusform>
            <numerusform>%Ln clients moved to the Trash.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="16"/>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="16"/>
        <source>Company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="21"/>
        <source>Any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>In person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Messenger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="24"/>
        <source>Letter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <location filename="../../app/ui/labels.py" line="50"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33"/>
        <source>At risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33"/>
        <source>Lapsed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="38"/>
        <source>Spouse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="38"/>
        <source>Partner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>Child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>Parent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Sibling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Grandchild</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="41"/>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Birthday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Name day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Anniversary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Other date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="50"/>
        <source>Frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="51"/>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="51"/>
        <source>Renewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="56"/>
        <source>Reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="56"/>
        <source>No answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="57"/>
        <source>Left a message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="58"/>
        <source>Meeting booked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="59"/>
        <source>Complaint found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="59"/>
        <source>Declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="60"/>
        <source>Wrong number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="61"/>
        <source>Call back later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <source>Positive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <source>Neutral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="68"/>
        <source>Negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="72"/>
        <source>Follow-up after purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="73"/>
        <source>Onboarding check-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="73"/>
        <source>Renewal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Personal date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Gift reminder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="75"/>
        <source>Complaint call-back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="76"/>
        <source>Complaint review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="77"/>
        <source>Win-back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="77"/>
        <source>Keep in touch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="78"/>
        <source>Quarterly A/B/C review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="79"/>
        <source>Manual</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="39"/>
        <source>ClientCare — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="53"/>
        <source>This part of ClientCare arrives in a coming version. Your clients, purchases and dates are already kept for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="56"/>
        <source>Clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="57"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="58"/>
        <source>Calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="59"/>
        <source>Complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="60"/>
        <source>Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="61"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="66"/>
        <source>%1 (Ctrl+%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="87"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="88"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="91"/>
        <source>&amp;Clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="92"/>
        <source>&amp;New client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="96"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="97"/>
        <source>&amp;About ClientCare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="105"/>
        <source>About ClientCare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="106"/>
        <source>&lt;h3&gt;ClientCare %1&lt;/h3&gt;&lt;p&gt;Keep the clients you already have.&lt;/p&gt;&lt;p&gt;Database: %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ManualTaskDialog</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="498"/>
        <source>New task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="503"/>
        <source>Type a name to pick the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="509"/>
        <source>What the call is about</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="512"/>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="513"/>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="514"/>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="528"/>
        <source>Pick the client from the suggestions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="531"/>
        <source>Say what the call is about.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MembershipDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="134"/>
        <source>Membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="137"/>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="139"/>
        <source>Starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="140"/>
        <source>Ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="145"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="146"/>
        <source>from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="147"/>
        <source>until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="148"/>
        <source>Frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="150"/>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="152"/>
        <source>Bought on a promotion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="154"/>
        <source>Has a discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="156"/>
        <source>Marks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="158"/>
        <source>Special conditions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="160"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../app/ui/messages.py" line="15"/>
        <source>Please enter a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="16"/>
        <source>This is too long (at most {maximum} characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="17"/>
        <source>“{value}” is not a valid phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="18"/>
        <source>“{value}” is not a valid e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="19"/>
        <source>Please enter an amount.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="20"/>
        <source>“{value}” is not an amount.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="21"/>
        <source>The amount cannot be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="22"/>
        <source>Use at most two decimal places.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="23"/>
        <source>The amount is too large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="24"/>
        <source>The quantity must be more than zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="25"/>
        <source>Please enter a date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="26"/>
        <source>A purchase cannot be dated in the future.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="27"/>
        <source>This is not a valid date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="28"/>
        <source>The year must be between 1900 and 2100.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="29"/>
        <source>The relative of this date was removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="30"/>
        <source>Gift reminder days must be between 0 and 60.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="31"/>
        <source>Give both the start and the end of the hours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="32"/>
        <source>The hours must start before they end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="33"/>
        <source>Give the date the client gave consent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="34"/>
        <source>A client cannot refer themselves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="35"/>
        <source>The referring client no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="36"/>
        <source>The number “{value}” already belongs to another client.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="37"/>
        <source>Please enter the plan&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="38"/>
        <source>The membership ends before it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="39"/>
        <source>Give both the first and the last frozen day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="40"/>
        <source>The freeze ends before it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="41"/>
        <source>A frozen membership needs its frozen days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="42"/>
        <source>This value has the wrong form.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="43"/>
        <source>The value must be at least {minimum}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="44"/>
        <source>The value must be at most {maximum}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="45"/>
        <source>This client no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="46"/>
        <source>“{name}” was changed elsewhere since you opened it. Close the card and open it again to see the changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="48"/>
        <source>The file “{path}” cannot be written: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="50"/>
        <source>“{path}” is a folder, not a database file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="51"/>
        <source>ClientCare may not read “{path}”. Check the file&apos;s permissions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="52"/>
        <source>The database “{path}” cannot be read or written: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="53"/>
        <source>“{path}” is not a ClientCare database. Nothing was changed in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="54"/>
        <source>“{path}” is a database of another program. Nothing was changed in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="56"/>
        <source>The database “{path}” is damaged and was not opened. Nothing was changed in it. Restore a backup or contact support. ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="59"/>
        <source>“{path}” was saved by a newer version of ClientCare. Please install the newer version to open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="61"/>
        <source>The database “{path}” is in use by another program. Close it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="63"/>
        <source>The database “{path}” cannot be written (read-only folder or file). Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="65"/>
        <source>The folder “{path}” cannot be created: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="66"/>
        <source>The database “{path}” does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="67"/>
        <source>The database is busy in another program; your change was not saved. Please try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="69"/>
        <source>The database cannot be written (read-only). Your change was not saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="71"/>
        <source>The disk is full; your change was not saved. Free some space and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="73"/>
        <source>The database reported an error; your change was not saved. ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="81"/>
        <source>Something went wrong ({code}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MonthCalendar</name>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="41"/>
        <source>%Ln call(s)</source>
        <translation>
            <numerusform>%Ln call</numerusform>
            <numerusform>%Ln calls</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="43"/>
        <source>%Ln meeting(s)</source>
        <translation>
            <numerusform>%Ln meeting</numerusform>
            <numerusform>%Ln meetings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/calendar_page.py" line="45"/>
        <source>%Ln date(s)</source>
        <translation>
            <numerusform>%Ln date</numerusform>
            <numerusform>%Ln dates</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Ops</name>
    <message>
        <location filename="../../app/ui/ops.py" line="98"/>
        <source>ClientCare</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PersonalDateDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="223"/>
        <source>Personal date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="229"/>
        <source>Whose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="234"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="235"/>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="247"/>
        <source>year unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="250"/>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="251"/>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="252"/>
        <source>Year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="255"/>
        <source>business default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="257"/>
        <source>Gift reminder, days before</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PurchaseDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="90"/>
        <source>Purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="91"/>
        <source>Edit purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="94"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="95"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="99"/>
        <source>Item or service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="101"/>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="104"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="94"/>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="94"/>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="94"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="94"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="95"/>
        <source>When to call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="95"/>
        <source>Before you call</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="115"/>
        <source>%Ln day(s) late</source>
        <translation>
            <numerusform>%Ln day late</numerusform>
            <numerusform>%Ln days late</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="116"/>
        <source>today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="119"/>
        <source>(the business)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="123"/>
        <source>try %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="139"/>
        <source>do not contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="141"/>
        <source>open complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="143"/>
        <source>promo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="145"/>
        <source>discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="147"/>
        <source>frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="149"/>
        <source>new client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="151"/>
        <source>last contact %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="155"/>
        <source>no answer %1 times</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RelativeDialog</name>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="192"/>
        <source>Family member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="194"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="200"/>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/card_dialogs.py" line="203"/>
        <source>Note (tastes, gift ideas)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RescheduleDialog</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="547"/>
        <source>Reschedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="556"/>
        <source>Call on:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RulesSettings</name>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="27"/>
        <source>Follow-up after a purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="28"/>
        <source>Make follow-up calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="29"/>
        <source>Days after the purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="30"/>
        <source>Call no later than, days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="32"/>
        <source>A client is new until purchase number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="34"/>
        <source>Also for other clients from this amount (0 = only new)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="36"/>
        <source>Memberships</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="37"/>
        <source>Onboarding check-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="38"/>
        <source>Days after the start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="39"/>
        <source>Renewal calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="40"/>
        <source>Days before the end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="42"/>
        <source>Frozen days extend the membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="44"/>
        <source>Personal dates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="46"/>
        <source>Congratulate on birthdays and name days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="47"/>
        <source>Gift reminder, days before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="49"/>
        <source>Show dates this many days ahead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="51"/>
        <source>Complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="53"/>
        <source>Call back, days after the fix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="55"/>
        <source>Team review, days after the fix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="57"/>
        <source>First response within, hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="59"/>
        <source>Clients who stop coming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="60"/>
        <source>Win-back calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="62"/>
        <source>At risk when the gap is this many times the usual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="64"/>
        <source>Purchases needed to know a client&apos;s usual gap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="66"/>
        <source>Otherwise at risk after, days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="67"/>
        <source>Lapsed after, days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="69"/>
        <source>Keep in touch with A clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="71"/>
        <source>Days without a pleasant contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="73"/>
        <source>Touch, don&apos;t pester</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="74"/>
        <source>At most this many contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="75"/>
        <source>in this many days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="76"/>
        <source>Tries when nobody answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="78"/>
        <source>Groups and value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="79"/>
        <source>Group A: top percent of buyers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="80"/>
        <source>Group B: next percent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="81"/>
        <source>Client value over, days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="83"/>
        <source>Quarterly A/B/C review reminder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="124"/>
        <source>Save the rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="126"/>
        <source>Back to the defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="182"/>
        <source>Defaults filled in; save to use them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="202"/>
        <source>Nothing was saved: please correct the marked values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_settings.py" line="213"/>
        <source>Saved. %1 new call(s) scheduled, %2 cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/ui/settings_page.py" line="26"/>
        <source>The business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="42"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="43"/>
        <source>Country (for phone numbers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="44"/>
        <source>Currency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="51"/>
        <source>Open on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="54"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="57"/>
        <source>Phone numbers typed without a country code are read as numbers of this country.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="67"/>
        <source>Business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="68"/>
        <source>Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="86"/>
        <source>A currency is a three-letter code such as PLN or EUR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_page.py" line="91"/>
        <source>Choose at least one day the business is open.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Today</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="48"/>
        <source>Book a meeting; do not sell on the phone. Check the promo, discount and frozen marks first.</source>
        <extracomment>keys that log at once, and keys that open the form with an outcome chosen</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="50"/>
        <source>Ask how the purchase serves them and whether anything could be better.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="52"/>
        <source>Ask how the first week went and whether they need help getting started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="54"/>
        <source>Congratulate them; nothing to sell today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="56"/>
        <source>Prepare a small gift or card for the date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="57"/>
        <source>Ask whether the fix worked and whether they are satisfied now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="59"/>
        <source>Review the complaint with the team and write down the lesson.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="61"/>
        <source>They have not been back for longer than usual: ask why, listen, invite them back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="63"/>
        <source>A valued client with no pleasant contact for a while: call with good news.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="65"/>
        <source>Review the A/B/C groups of the quarter and ask why clients moved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="67"/>
        <source>See the note.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <location filename="../../app/ui/today_page.py" line="193"/>
        <source>Keys: N no answer · M left a message · W wrong number · R reached · B meeting booked · D declined · L call back later · C complaint found · Enter open the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="199"/>
        <source>Log the call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="206"/>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="211"/>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="226"/>
        <source>Log call (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="231"/>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="232"/>
        <source>Tone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="233"/>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="234"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="235"/>
        <source>Why declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="236"/>
        <source>Meeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="237"/>
        <source>Call back on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="243"/>
        <source>Tomorrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="244"/>
        <source>Snooze the call to the next day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="245"/>
        <source>Reschedule…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="246"/>
        <source>Cancel task…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="247"/>
        <source>Open client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="248"/>
        <source>New task…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="249"/>
        <source>Plan a call to any client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="304"/>
        <source>Today, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="307"/>
        <source>%Ln call(s) to make</source>
        <translation>
            <numerusform>%Ln call to make</numerusform>
            <numerusform>%Ln calls to make</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/today_page.py" line="308"/>
        <source>%Ln overdue</source>
        <translation>
            <numerusform>%Ln overdue</numerusform>
            <numerusform>%Ln overdue</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="309"/>
        <source>Nothing due today. Well done!</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="335"/>
        <source>Note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="409"/>
        <source>A complaint was opened for %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="457"/>
        <source>Cancel task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/today_page.py" line="458"/>
        <source>Why is this call no longer needed?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../app/ui/clients_page.py" line="39"/>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="40"/>
        <source>Undo (Ctrl+Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/clients_page.py" line="44"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
